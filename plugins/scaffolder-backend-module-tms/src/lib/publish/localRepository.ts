import { Config } from '@backstage/config';
import git from 'isomorphic-git';
import fs from 'node:fs';
import { cp, mkdir } from 'node:fs/promises';
import { resolve } from 'node:path';

/** Who the first commit of a local repository is by. */
export type GitAuthor = { name: string; email: string };

/**
 * How `tms:publish:local` creates repositories, from
 * `tms.scaffolder.localPublish`.
 */
export type LocalPublishSettings = {
  /** Absolute folder holding one repository per published service. */
  directory: string;
  defaultBranch: string;
  author: GitAuthor;
};

/** The settings of the local publishing target, defaults filled in. */
export function readLocalPublishSettings(config: Config): LocalPublishSettings {
  const local = config.getOptionalConfig('tms.scaffolder.localPublish');

  return {
    directory: resolve(local?.getOptionalString('directory') ?? 'scaffolded'),
    defaultBranch: local?.getOptionalString('defaultBranch') ?? 'main',
    author: {
      name: local?.getOptionalString('author.name') ?? 'TMS Scaffolder',
      email:
        local?.getOptionalString('author.email') ??
        'scaffolder@tms.example.com',
    },
  };
}

/**
 * Copies a folder into a new Git repository and commits every file on the
 * default branch, so that the result can be cloned like any remote:
 * `git clone file:///.../<name>`. isomorphic-git writes the repository
 * itself; no git binary is needed.
 */
export async function createLocalRepository(options: {
  source: string;
  target: string;
  defaultBranch: string;
  author: GitAuthor;
  message: string;
}): Promise<{ commitHash: string }> {
  const { source, target, defaultBranch, author, message } = options;

  await mkdir(resolve(target, '..'), { recursive: true });
  await cp(source, target, { recursive: true, errorOnExist: true });

  await git.init({ fs, dir: target, defaultBranch });
  await git.add({ fs, dir: target, filepath: '.' });
  const commitHash = await git.commit({
    fs,
    dir: target,
    message,
    author,
    committer: author,
  });
  return { commitHash };
}
