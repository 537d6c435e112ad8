import {
  resolveSafeChildPath,
  UrlReaderService,
  UrlReaderServiceReadTreeOptions,
  UrlReaderServiceReadTreeResponse,
  UrlReaderServiceReadUrlOptions,
  UrlReaderServiceReadUrlResponse,
  UrlReaderServiceSearchOptions,
  UrlReaderServiceSearchResponse,
} from '@backstage/backend-plugin-api';
import type {
  ReaderFactory,
  ReadTreeResponseFactory,
} from '@backstage/backend-defaults/urlReader';
import {
  InputError,
  NotAllowedError,
  NotFoundError,
  NotModifiedError,
} from '@backstage/errors';
import git from 'isomorphic-git';
import fs from 'node:fs';
import { readdir, readFile, stat } from 'node:fs/promises';
import { createHash } from 'node:crypto';
import { join, relative, sep } from 'node:path';
import { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';

/**
 * Reads `file:` URLs inside the local publishing directory, so that the
 * catalog can register and refresh the `catalog-info.yaml` of a repository
 * `tms:publish:local` created, through the ordinary `catalog:register`
 * action. Any other file on the machine stays unreadable: the predicate
 * only claims URLs below that directory, and the reader checks again.
 */
export class LocalRepositoryUrlReader implements UrlReaderService {
  constructor(
    private readonly directory: string,
    private readonly treeResponseFactory: ReadTreeResponseFactory,
  ) {}

  /** Whether a URL is one this reader serves. */
  claims(url: URL): boolean {
    if (url.protocol !== 'file:') {
      return false;
    }
    const path = fileURLToPath(url);
    return path.startsWith(`${this.directory}${sep}`);
  }

  async readUrl(
    url: string,
    options?: UrlReaderServiceReadUrlOptions,
  ): Promise<UrlReaderServiceReadUrlResponse> {
    const path = this.pathOf(url);
    const content = await this.readExisting(url, path);
    const etag = contentHash(content);

    if (options?.etag === etag) {
      throw new NotModifiedError(`${url} has not changed`);
    }
    return {
      buffer: async () => content,
      etag,
      lastModifiedAt: (await stat(path)).mtime,
    };
  }

  async readTree(
    url: string,
    options?: UrlReaderServiceReadTreeOptions,
  ): Promise<UrlReaderServiceReadTreeResponse> {
    const root = this.pathOf(url);
    const etag = await headCommit(root);
    if (etag && options?.etag === etag) {
      throw new NotModifiedError(`${url} has not changed`);
    }

    const files = [];
    for (const path of await listFiles(root)) {
      const name = relative(root, path).split(sep).join('/');
      const info = await stat(path);
      if (options?.filter && !options.filter(name, { size: info.size })) {
        continue;
      }
      // Read now: a stream opened lazily would outlive a folder removed
      // before the caller consumes the tree.
      files.push({
        data: Readable.from([await readFile(path)]),
        path: name,
        lastModifiedAt: info.mtime,
      });
    }

    const response = await this.treeResponseFactory.fromReadableArray(files);
    return {
      files: () => response.files(),
      archive: () => response.archive(),
      dir: dirOptions => response.dir(dirOptions),
      etag: etag ?? response.etag,
    };
  }

  async search(
    url: string,
    options?: UrlReaderServiceSearchOptions,
  ): Promise<UrlReaderServiceSearchResponse> {
    if (/[*?[{]/.test(new URL(url).pathname)) {
      throw new InputError(
        `Local repository URLs name one file, got the pattern ${url}`,
      );
    }

    // The catalog reads every location through search: one URL, one file.
    const path = this.pathOf(url);
    const content = await this.readExisting(url, path);
    const etag = contentHash(content);
    if (options?.etag === etag) {
      throw new NotModifiedError(`${url} has not changed`);
    }
    return {
      etag,
      files: [
        {
          url,
          content: async () => content,
          lastModifiedAt: (await stat(path)).mtime,
        },
      ],
    };
  }

  toString() {
    return `local-repository{directory=${this.directory}}`;
  }

  private pathOf(url: string): string {
    const parsed = new URL(url);
    if (!this.claims(parsed)) {
      throw new NotAllowedError(
        `${url} is outside the local publishing directory ${this.directory}`,
      );
    }
    // Resolving again rejects `..` and symbolic links out of the directory.
    return resolveSafeChildPath(
      this.directory,
      relative(this.directory, fileURLToPath(parsed)),
    );
  }

  private async readExisting(url: string, path: string): Promise<Buffer> {
    try {
      return await readFile(path);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
        throw new NotFoundError(`${url} does not exist`);
      }
      throw error;
    }
  }
}

/** The URL reader factory for a local publishing directory. */
export function localRepositoryReaderFactory(directory: string): ReaderFactory {
  return ({ treeResponseFactory }) => {
    const reader = new LocalRepositoryUrlReader(directory, treeResponseFactory);
    return [{ reader, predicate: (url: URL) => reader.claims(url) }];
  };
}

function contentHash(content: Buffer): string {
  return createHash('sha256').update(content).digest('hex');
}

/** The commit a repository's HEAD points at, if the folder is one. */
async function headCommit(dir: string): Promise<string | undefined> {
  try {
    return await git.resolveRef({ fs, dir, ref: 'HEAD' });
  } catch {
    return undefined;
  }
}

/** Every file below a folder, leaving out Git's own `.git`. */
async function listFiles(root: string): Promise<string[]> {
  const entries = await readdir(root, { withFileTypes: true });
  const nested = await Promise.all(
    entries
      .filter(entry => entry.name !== '.git')
      .map(entry =>
        entry.isDirectory()
          ? listFiles(join(root, entry.name))
          : Promise.resolve([join(root, entry.name)]),
      ),
  );
  return nested.flat();
}
