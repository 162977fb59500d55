/**
 * Where the talk-off corpus comes from: Debian packages of recorded music,
 * recorded telephone prompts and texts for espeak-ng, each with the tool that
 * turns its files into 8 kHz audio. Data only; build-corpus.ts does the work.
 */

export type CorpusKind = 'music' | 'prompts' | 'speech';

/** How a source file becomes audio: decoded by sox, rendered by timidity or openmpt123, or read aloud by espeak-ng. */
export type Renderer = 'sox' | 'timidity' | 'openmpt' | 'espeak';

export interface CorpusSource {
  /** The Debian package whose files are used. */
  package: string;
  kind: CorpusKind;
  /** Musical genre, or the voice for prompts and speech. */
  genre: string;
  /** BCP 47 tag of the spoken language; '' for music. */
  language: string;
  renderer: Renderer;
  /** File name endings taken from the package's file list (`dpkg -L`). */
  extensions: readonly string[];
  /** Only paths containing this; '' for all. */
  pathContains: string;
  /** espeak-ng voice (speech only). */
  voice?: string;
  /** Characters of text read aloud per language (speech only). */
  textChars?: number;
}

/** A command a renderer needs, and the package that provides it. */
export interface Tool {
  command: string;
  package: string;
}

export const TOOLS: Record<Renderer, readonly Tool[]> = {
  sox: [{ command: 'sox', package: 'sox' }],
  timidity: [{ command: 'timidity', package: 'timidity' }, { command: 'sox', package: 'sox' }],
  openmpt: [{ command: 'openmpt123', package: 'openmpt123' }, { command: 'sox', package: 'sox' }],
  espeak: [{ command: 'espeak-ng', package: 'espeak-ng' }, { command: 'man', package: 'man-db' }, { command: 'sox', package: 'sox' }],
};

/** Packages a renderer needs besides its commands (timidity's instrument patches). */
export const RENDERER_PACKAGES: Partial<Record<Renderer, readonly string[]>> = { timidity: ['freepats'] };

const music = (pkg: string, genre: string, renderer: Renderer, extensions: string[], pathContains = ''): CorpusSource => ({
  package: pkg, kind: 'music', genre, language: '', renderer, extensions, pathContains,
});

const prompts = (pkg: string, voice: string, language: string, extension: string, pathContains: string): CorpusSource => ({
  package: pkg, kind: 'prompts', genre: voice, language, renderer: 'sox', extensions: [extension], pathContains,
});

/**
 * Speech: the package's manual pages in one language, formatted by man and
 * read by espeak-ng; English reads the GPL from base-files in two accents.
 */
const speech = (pkg: string, language: string, voice: string, pathContains: string, extension = '.gz'): CorpusSource => ({
  package: pkg, kind: 'speech', genre: `espeak-ng ${voice}`, language, renderer: 'espeak', extensions: [extension], pathContains, voice,
  textChars: 6000,
});

/** Man page languages installed with the base system here, with the espeak-ng voice for each. */
const MAN_LANGUAGES: readonly [dir: string, tag: string, voice: string][] = [
  ['cs', 'cs', 'cs'], ['da', 'da', 'da'], ['de', 'de', 'de'], ['es', 'es', 'es'], ['fr', 'fr', 'fr-fr'],
  ['hr', 'hr', 'hr'], ['hu', 'hu', 'hu'], ['id', 'id', 'id'], ['it', 'it', 'it'], ['ja', 'ja', 'ja'],
  ['ko', 'ko', 'ko'], ['nl', 'nl', 'nl'], ['pl', 'pl', 'pl'], ['pt', 'pt', 'pt'], ['pt_BR', 'pt-BR', 'pt-br'],
  ['ro', 'ro', 'ro'], ['ru', 'ru', 'ru'], ['sr', 'sr', 'sr'], ['sv', 'sv', 'sv'], ['tr', 'tr', 'tr'],
  ['uk', 'uk', 'uk'], ['zh_CN', 'zh-CN', 'cmn'], ['sl', 'sl', 'sl'], ['fi', 'fi', 'fi'],
];

/**
 * Man pages of one language come from several packages; listing each
 * language's pages by path (not by package) keeps the table short.
 * `package` is then the pseudo-source 'man-pages'; build-corpus.ts names the
 * real owner of every page with `dpkg -S`.
 */
export const MAN_PAGES = 'man-pages';

export const SOURCES: readonly CorpusSource[] = [
  music('wesnoth-1.16-music', 'orchestral', 'sox', ['.ogg']),
  music('lincity-ng-data', 'electronic and blues', 'sox', ['.ogg'], '/music/'),
  music('freedroid-data', 'chiptune (tracker modules)', 'openmpt', ['.mod']),
  music('freedroid-data', 'chiptune', 'sox', ['.ogg']),
  music('openttd-openmsx', 'MIDI (jazz, ragtime, swing) via timidity and freepats', 'timidity', ['.mid']),
  prompts('asterisk-core-sounds-en-wav', 'Allison', 'en-US', '.wav', '/en_US_f_Allison/'),
  prompts('asterisk-core-sounds-es-wav', 'Allison', 'es-MX', '.wav', '/es_MX_f_Allison/'),
  prompts('asterisk-core-sounds-fr-wav', 'June', 'fr-CA', '.wav', '/fr_CA_f_June/'),
  prompts('asterisk-core-sounds-it-wav', 'Carlo', 'it-IT', '.wav', '/it_IT_m_Carlo/'),
  prompts('asterisk-core-sounds-ru-wav', 'IvrvoiceRU', 'ru-RU', '.wav', '/ru_RU_f_IvrvoiceRU/'),
  prompts('asterisk-prompt-fr-armelle', 'Armelle', 'fr-FR', '.gsm', '/sounds/fr/'),
  prompts('asterisk-prompt-es-co', 'es-co', 'es-CO', '.gsm', '/sounds/es/'),
  speech('base-files', 'en-US', 'en-us', '/common-licenses/GPL-3', '/GPL-3'),
  speech('base-files', 'en-GB', 'en-gb', '/common-licenses/GPL-3', '/GPL-3'),
  ...MAN_LANGUAGES.map(([dir, tag, voice]) => speech(MAN_PAGES, tag, voice, `/usr/share/man/${dir}/`)),
];
