/**
 * The sections of `npm run bench`, in the order the README shows them. Each
 * is measured (slow) and rendered (pure) apart, so a test can check the
 * README's shape against `render` without measuring anything.
 */
export interface BenchModule<R> {
  title: string;
  measure(): Promise<R>;
  render(results: R): string[];
}

export const SECTIONS = {
  decoder: () => import('./decoder.ts'),
  flow: () => import('./flow.ts'),
  directory: () => import('./directory.ts'),
  scenarios: () => import('./scenarios.ts'),
  startup: () => import('./startup.ts'),
  'decode-process': () => import('./decode-process.ts'),
  'talk-off-corpus': () => import('./talk-off-corpus.ts'),
} as const;

export type SectionName = keyof typeof SECTIONS;

export function isSectionName(name: string): name is SectionName {
  return Object.hasOwn(SECTIONS, name);
}
