/**
 * How WaferScope reads a file a config points at (a cluster file). Configs come from pull requests
 * and downloaded repositories, so a reference is data written by someone else:
 *
 *  - only regular files are read, checked on the opened descriptor (a FIFO, `/dev/zero` or a socket
 *    is refused without blocking: the file is opened with O_NONBLOCK, which makes opening a FIFO
 *    return at once and changes nothing for a regular file);
 *  - at most `maxBytes` bytes are read, counted on what is actually read (a device's `stat` size is 0);
 *  - only files inside the workspace folders are read, after following symbolic links; a file outside
 *    is read only when the user named it explicitly (an absolute `waferscope.cluster` setting in a
 *    trusted workspace, `--cluster` on the command line);
 *  - a missing file and a refused one look the same to the config (no existence oracle).
 *
 * Plain Node (no vscode, no LSP): the CLI, the server and its worker use the same reader.
 */
import { closeSync, constants, fstatSync, openSync, readSync, realpathSync } from 'node:fs';
import { isAbsolute, relative, resolve, sep } from 'node:path';

/** A cluster file is a few hundred bytes; the config readers refuse anything past 5 MB anyway. */
export const MAX_REFERENCED_FILE_BYTES = 5 * 1024 * 1024;

/** O_NONBLOCK does not exist on Windows, where opening a named pipe does not wait for a writer either. */
const OPEN_FLAGS = constants.O_RDONLY | (constants.O_NONBLOCK ?? 0) | (constants.O_NOCTTY ?? 0);

export type RegularFileRead = { text: string } | { refused: 'missing' | 'not-a-regular-file' | 'too-large' };

/**
 * Reads a regular file of at most `maxBytes` bytes as UTF-8. Never blocks on a FIFO, never reads a
 * device, never reads more than `maxBytes + 1` bytes.
 */
export function readRegularFile(path: string, maxBytes = MAX_REFERENCED_FILE_BYTES): RegularFileRead {
  let fd: number;
  try {
    fd = openSync(path, OPEN_FLAGS);
  } catch {
    return { refused: 'missing' };
  }
  try {
    if (!fstatSync(fd).isFile()) return { refused: 'not-a-regular-file' };
    const chunks: Buffer[] = [];
    let total = 0;
    // One byte past the cap tells "exactly at the cap" from "larger", without trusting stat's size.
    while (total <= maxBytes) {
      const chunk = Buffer.allocUnsafe(Math.min(64 * 1024, maxBytes + 1 - total));
      const read = readSync(fd, chunk, 0, chunk.length, null);
      if (read === 0) break;
      chunks.push(read === chunk.length ? chunk : chunk.subarray(0, read));
      total += read;
    }
    if (total > maxBytes) return { refused: 'too-large' };
    return { text: Buffer.concat(chunks, total).toString('utf8') };
  } catch {
    return { refused: 'missing' };
  } finally {
    closeSync(fd);
  }
}

/** Where references may point. */
export interface FileAccessPolicy {
  /** Absolute workspace folders; a referenced file must resolve inside one of them. */
  roots: string[];
  /** Absolute paths the user named explicitly and that may lie outside the roots. */
  explicit?: string[];
  maxBytes?: number;
}

function within(path: string, root: string): boolean {
  const rel = relative(root, path);
  return rel === '' || (!rel.startsWith('..' + sep) && rel !== '..' && !isAbsolute(rel));
}

function real(path: string): string | undefined {
  try {
    return realpathSync.native(path);
  } catch {
    return undefined;
  }
}

/** Decides, reads and remembers which files lay inside the workspace (for messages and quick fixes). */
export class WorkspaceFiles {
  private readonly roots: string[];
  private readonly explicit: Set<string>;
  private readonly maxBytes: number;

  constructor(policy: FileAccessPolicy) {
    const roots = policy.roots.filter((root) => root && isAbsolute(root)).map((root) => resolve(root));
    // Compare real paths too: a workspace opened through a symbolic link is still the workspace.
    this.roots = [...new Set([...roots, ...roots.map((root) => real(root) ?? root)])];
    this.explicit = new Set((policy.explicit ?? []).filter((path) => path && isAbsolute(path)).map((path) => resolve(path)));
    this.maxBytes = policy.maxBytes ?? MAX_REFERENCED_FILE_BYTES;
  }

  /** Inside a workspace folder, also after following symbolic links (a link to /etc/passwd is outside). */
  isInside(path: string): boolean {
    if (!isAbsolute(path)) return false;
    const lexical = resolve(path);
    if (!this.roots.some((root) => within(lexical, root))) return false;
    const resolved = real(lexical);
    return resolved === undefined || this.roots.some((root) => within(resolved, root));
  }

  /** Whether WaferScope may read the file at all. */
  mayRead(path: string): boolean {
    return this.isInside(path) || this.explicit.has(resolve(path));
  }

  /**
   * The file's text, or undefined when it is missing, outside the workspace, not a regular file or
   * too large: the caller cannot tell these apart, so a config cannot probe for a file's existence.
   */
  read(path: string, openText?: (path: string) => string | undefined): string | undefined {
    if (!this.mayRead(path)) return undefined;
    const open = openText?.(path);
    if (open !== undefined) return open.length > this.maxBytes ? undefined : open;
    const result = readRegularFile(path, this.maxBytes);
    return 'text' in result ? result.text : undefined;
  }
}
