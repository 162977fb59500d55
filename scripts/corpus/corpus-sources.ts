/**
 * Where the talk-off corpus comes from: Debian packages of recorded music,
 * recorded telephone prompts and texts for espeak-ng and festival, each with the tool that
 * turns its files into 8 kHz audio. Data only; build-corpus.ts does the work.
 */

export type CorpusKind = 'music' | 'prompts' | 'speech';

/** How a source file becomes audio: decoded by sox, rendered by timidity or openmpt123, or read aloud by espeak-ng or festival. */
export type Renderer = 'sox' | 'timidity' | 'openmpt' | 'espeak' | 'festival';

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
  /** espeak-ng voice, or festival voice function (speech only). */
  voice?: string;
  /** Characters of text read aloud per source (speech only). */
  textChars?: number;
  /** Packages the rendering needs besides the tools: instrument patches, a festival voice. */
  needs?: readonly string[];
  /** timidity's configuration: which instruments render the MIDI files. */
  config?: string;
  /** Folder under the kind when not the package (music, prompts) or the language (speech). */
  group?: string;
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
  festival: [{ command: 'text2wave', package: 'festival' }, { command: 'man', package: 'man-db' }, { command: 'sox', package: 'sox' }],
};

const music = (pkg: string, genre: string, renderer: Renderer, extensions: string[], pathContains = ''): CorpusSource => ({
  package: pkg, kind: 'music', genre, language: '', renderer, extensions, pathContains,
});

/** The same MIDI files through two instrument sets: freepats' samples and the FluidR3 General MIDI soundfont. */
const midi = (pkg: string, genre: string, soundfont: 'freepats' | 'fluid-soundfont-gm'): CorpusSource => ({
  ...music(pkg, `${genre} via timidity and ${soundfont}`, 'timidity', ['.mid']),
  needs: [soundfont],
  config: soundfont === 'freepats' ? '/etc/timidity/freepats.cfg' : '/etc/timidity/fluidr3_gm.cfg',
  group: soundfont === 'freepats' ? pkg : `${pkg}+fluidr3`,
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
  // A voice variant (en-us+f2) reads into its own folder beside the plain voice.
  ...(voice.includes('+') ? { group: `${language}+${voice.split('+')[1]}` } : {}),
});

/** festival's diphone voices: a second synthesizer, reading the same manual pages. */
const festival = (voicePackage: string, language: string, voice: string, pathContains: string): CorpusSource => ({
  package: MAN_PAGES, kind: 'speech', genre: `festival ${voice}`, language, renderer: 'festival', extensions: ['.gz'], pathContains,
  voice, textChars: 6000, needs: [voicePackage], group: `${language}+festival`,
});

/** espeak-ng's voice variants (female, male, klatt and named voices) over a few languages. */
const VARIANTS: readonly [dir: string, tag: string, voice: string][] = [
  ['', 'en-US', 'en-us+f2'], ['', 'en-US', 'en-us+m7'], ['', 'en-GB', 'en-gb+klatt'], ['de', 'de', 'de+f4'],
  ['fr', 'fr', 'fr-fr+Annie'], ['es', 'es', 'es+m3'], ['ru', 'ru', 'ru+f3'], ['it', 'it', 'it+klatt2'],
];

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
  midi('openttd-openmsx', 'MIDI (jazz, ragtime, swing)', 'freepats'),
  midi('openttd-openmsx', 'MIDI (jazz, ragtime, swing)', 'fluid-soundfont-gm'),
  music('extremetuxracer-data', 'orchestral and rock', 'sox', ['.ogg'], '/music/'),
  music('pingus-data', 'tracker modules (pop, ambient)', 'openmpt', ['.it', '.s3m'], '/music/'),
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
  ...VARIANTS.map(([dir, tag, voice]) => speech(MAN_PAGES, tag, voice, dir === '' ? '/usr/share/man/man1/' : `/usr/share/man/${dir}/`)),
  festival('festvox-kallpc16k', 'en-US', 'voice_kal_diphone', '/usr/share/man/man1/'),
  festival('festvox-italp16k', 'it', 'voice_lp_diphone', '/usr/share/man/it/'),
];
