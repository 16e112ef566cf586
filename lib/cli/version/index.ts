/** `sase version`: the package version and the runtime it runs on. */
import type { CommandModule } from '../command.js';
import { packageVersion, PACKAGE_ROOT } from '../../package.js';

/** Result of `sase version`. */
export interface VersionResult {
  name: 'sase';
  version: string;
  node: string;
  platform: string;
  package_root: string;
}

export const command: CommandModule<Record<string, never>, VersionResult> = {
  meta: { name: 'version', summary: 'Print the sase version' },
  define: () => {},
  parse: () => ({}),
  run: async () => ({
    name: 'sase',
    version: packageVersion(),
    node: process.version,
    platform: `${process.platform}-${process.arch}`,
    package_root: PACKAGE_ROOT,
  }),
  human: (r, out) => out.line(`sase ${r.version} (node ${r.node}, ${r.platform})`),
};
