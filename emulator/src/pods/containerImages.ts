// What a simulated container does, decided from its image and arguments. No container runs:
// each known image is reduced to the ports it listens on and the HTTP answers it gives, which
// is all a Service lesson can observe of it.

import type { Container } from '../api/types';

export type ContainerKind = 'nginx' | 'http-echo' | 'generic';

export interface ContainerBehaviour {
  kind: ContainerKind;
  /** TCP ports the process listens on by itself, whether or not the pod declares them. */
  listenPorts: number[];
  /** The version the image reports (nginx's Server header); empty when unknown. */
  version: string;
  /** http-echo's `-text`. */
  text?: string;
  /** http-echo's `-status-code`. */
  statusCode?: number;
}

/** The image's repository name without registry, tag or digest: `docker.io/library/nginx:1.27` → `nginx`. */
export function imageName(image: string | undefined): string {
  if (!image) return '';
  const noDigest = image.split('@')[0];
  const lastSlash = noDigest.lastIndexOf('/');
  const colon = noDigest.indexOf(':', lastSlash + 1);
  const path = colon >= 0 ? noDigest.slice(0, colon) : noDigest;
  return path.slice(path.lastIndexOf('/') + 1).toLowerCase();
}

function imageTag(image: string | undefined): string {
  if (!image) return '';
  const noDigest = image.split('@')[0];
  const colon = noDigest.indexOf(':', noDigest.lastIndexOf('/') + 1);
  return colon >= 0 ? noDigest.slice(colon + 1) : '';
}

/**
 * Reads a Go `flag`-style option from the container's args: `-text=hi`, `--text=hi`,
 * `-text hi`. Returns undefined when absent.
 */
export function goFlag(args: readonly string[], name: string): string | undefined {
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    for (const prefix of [`-${name}`, `--${name}`]) {
      if (a === prefix && i + 1 < args.length) return args[i + 1];
      if (a.startsWith(prefix + '=')) return a.slice(prefix.length + 1);
    }
  }
  return undefined;
}

/** The port of a Go listen address such as `:5678` or `0.0.0.0:8080`. */
function listenAddressPort(addr: string | undefined, fallback: number): number {
  if (!addr) return fallback;
  const port = Number(addr.slice(addr.lastIndexOf(':') + 1));
  return Number.isInteger(port) && port > 0 && port < 65536 ? port : fallback;
}

export function containerBehaviour(container: Container): ContainerBehaviour {
  const name = imageName(container.image);
  const args = [...(container.command ?? []), ...(container.args ?? [])];
  if (name === 'nginx' || name === 'nginx-unprivileged') {
    const tag = imageTag(container.image);
    const version = /^\d+\.\d+\.\d+/.exec(tag)?.[0] ?? '1.27.3';
    return { kind: 'nginx', listenPorts: [name === 'nginx' ? 80 : 8080], version };
  }
  if (name === 'http-echo') {
    const code = Number(goFlag(args, 'status-code') ?? 200);
    return {
      kind: 'http-echo',
      listenPorts: [listenAddressPort(goFlag(args, 'listen'), 5678)],
      version: imageTag(container.image).replace(/^v/, '') || '1.0.0',
      text: goFlag(args, 'text') ?? '',
      statusCode: Number.isInteger(code) && code >= 100 && code <= 999 ? code : 200,
    };
  }
  return { kind: 'generic', listenPorts: [], version: '' };
}
