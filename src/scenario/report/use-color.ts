/**
 * Whether the scenario commands colour their output: an explicit
 * --color/--no-color wins; otherwise only for a terminal, and never when
 * NO_COLOR is set (https://no-color.org).
 */
export function useColor(color: boolean | undefined, noColor: boolean | undefined, stream: { isTTY?: boolean } = process.stdout): boolean {
  if (noColor) return false;
  if (color) return true;
  const disabled = process.env.NO_COLOR !== undefined && process.env.NO_COLOR !== '';
  return stream.isTTY === true && !disabled;
}
