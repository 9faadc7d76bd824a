/**
 * The hybrid encryption of Bitnami's sealed-secrets (pkg/crypto), byte for byte:
 *
 *   uint16 big-endian length of the RSA ciphertext || RSA-OAEP(SHA-256, label)(session key) || AES-256-GCM(plaintext)
 *
 * The session key is 32 random bytes used for exactly one value, which is why the GCM nonce may be all zeros; the
 * 16-byte GCM tag follows the ciphertext (Go's AEAD.Seal layout). The label binds the value to its scope (scope.ts).
 */
import { constants, createCipheriv, createDecipheriv, privateDecrypt, publicEncrypt, randomBytes } from 'node:crypto';
import type { KeyObject } from 'node:crypto';

const SESSION_KEY_BYTES = 32;
const GCM_NONCE = Buffer.alloc(12);
const GCM_TAG_BYTES = 16;

export function hybridEncrypt(publicKey: KeyObject, plaintext: Uint8Array, label: Buffer): Buffer {
  const sessionKey = randomBytes(SESSION_KEY_BYTES);
  const rsaCiphertext = publicEncrypt({ key: publicKey, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha256', oaepLabel: label }, sessionKey);
  const cipher = createCipheriv('aes-256-gcm', sessionKey, GCM_NONCE);
  const body = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  const length = Buffer.alloc(2);
  length.writeUInt16BE(rsaCiphertext.length);
  return Buffer.concat([length, rsaCiphertext, body, cipher.getAuthTag()]);
}

/** Why a blob could not be opened with any key; the caller names the object and key. Never includes key material. */
export class DecryptError extends Error {}

/** Tries every private key, as Bitnami's HybridDecrypt does; the first that opens the blob wins. */
export function hybridDecrypt(privateKeys: readonly KeyObject[], ciphertext: Buffer, label: Buffer): Buffer {
  if (ciphertext.length < 2) throw new DecryptError('the value is too short to be a sealed value (truncated?)');
  const rsaLength = ciphertext.readUInt16BE(0);
  if (ciphertext.length < rsaLength + 2 + GCM_TAG_BYTES) throw new DecryptError('the value is too short to be a sealed value (truncated?)');
  if (privateKeys.length === 0) throw new DecryptError('no private key was given');
  const rsaCiphertext = ciphertext.subarray(2, rsaLength + 2);
  const sealed = ciphertext.subarray(rsaLength + 2, ciphertext.length - GCM_TAG_BYTES);
  const tag = ciphertext.subarray(ciphertext.length - GCM_TAG_BYTES);
  let sessionKeyOpened = false;
  for (const key of privateKeys) {
    let sessionKey: Buffer;
    try {
      sessionKey = privateDecrypt({ key, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha256', oaepLabel: label }, rsaCiphertext);
    } catch {
      continue; // another key, or another scope's label
    }
    if (sessionKey.length !== SESSION_KEY_BYTES) continue;
    sessionKeyOpened = true;
    try {
      const decipher = createDecipheriv('aes-256-gcm', sessionKey, GCM_NONCE);
      decipher.setAuthTag(tag);
      return Buffer.concat([decipher.update(sealed), decipher.final()]);
    } catch {
      continue;
    }
  }
  throw new DecryptError(
    sessionKeyOpened
      ? 'the value was tampered with or corrupted (its authentication tag does not match)'
      : `no private key could decrypt it (tried ${privateKeys.length}): it was sealed with another key, for another scope, name or namespace, or it is corrupted`,
  );
}
