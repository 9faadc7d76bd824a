/**
 * An image name as registries are addressed: `ghcr.io/org/app` → host `ghcr.io`, repository `org/app`. A first
 * part without a dot or a port (and not `localhost`) is a Docker Hub name, as docker reads it (`nginx` is
 * `registry-1.docker.io/library/nginx`). Tags and digests are not part of a watched image. Pure.
 */
import { InputError } from '../../errors.js';

export interface ImageName {
  /** As written, for messages. */
  readonly name: string;
  /** Registry host (and port) requests go to. */
  readonly host: string;
  /** The host credentials are stored under (`docker.io` for Docker Hub, as docker config writes it). */
  readonly credentialHost: string;
  readonly repository: string;
}

const REPOSITORY = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:\/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*$/;

export function parseImageName(name: string, where: string): ImageName {
  const text = name.trim();
  const last = text.split('/').pop() ?? '';
  if (text.includes('@') || last.includes(':')) {
    throw new InputError({ file: where }, `image ${JSON.stringify(name)} names a tag or digest`, { fix: 'give the image without tag, e.g. ghcr.io/org/app' });
  }
  const [first = '', ...rest] = text.split('/');
  const hasHost = rest.length > 0 && (first.includes('.') || first.includes(':') || first === 'localhost');
  const host = hasHost ? first : 'registry-1.docker.io';
  const path = hasHost ? rest.join('/') : rest.length === 0 ? `library/${first}` : text;
  if (!REPOSITORY.test(path)) throw new InputError({ file: where }, `image ${JSON.stringify(name)} is not a valid image name`, { fix: 'write it as registry/org/app, lower case' });
  return { name: text, host, credentialHost: hasHost ? first : 'docker.io', repository: path };
}
