// What a server validating with pydantic in lax mode (vLLM, and many OpenAI-compatible servers)
// reads as `true`: 1, and "1"/"true"/"yes"/"on"/"t"/"y" in any case. A flag that changes what is
// billed (`stream`, a Responses `background`) is read the same way, so Shimmy never takes for off
// a flag the server takes for on. A form field (`stream=true` in a multipart transcription) is
// always a string.
export function laxTrue(v: unknown): boolean {
  if (v === true || v === 1) return true;
  if (typeof v !== 'string' || v.length > 4) return false;
  const s = v.toLowerCase();
  return s === 'true' || s === '1' || s === 'yes' || s === 'on' || s === 't' || s === 'y';
}
