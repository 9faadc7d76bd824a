/** Strict standard base64 (Go's base64.StdEncoding): Node's decoder silently skips bad characters, this one refuses. */
const STD_BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

export function decodeBase64Strict(text: string): Buffer | undefined {
  return STD_BASE64.test(text) ? Buffer.from(text, 'base64') : undefined;
}
