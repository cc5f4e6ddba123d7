/** `sk-…abcd`: enough to tell keys apart, never enough to use one. */
export function maskSecret(secret: string): string {
  if (secret.length < 12) return '…' + secret.slice(-2);
  return `${secret.slice(0, 3)}…${secret.slice(-4)}`;
}
