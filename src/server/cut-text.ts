/** `text` cut to `max` characters, with `...` to show it was cut: client input quoted in logs and errors stays bounded. */
export function cutText(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max)}...` : text;
}
