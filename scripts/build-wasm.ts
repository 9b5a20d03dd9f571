/**
 * Builds the Rust core to packages/attnkit/dist/attnkit.wasm: release, SIMD128 and bulk
 * memory, LTO, stripped (see the workspace Cargo.toml's release profile).
 *
 * `--profile` builds the same core with the crate's `profile` feature (the attention
 * kernel's phases timed by an imported clock) to target/attnkit-profile.wasm instead, for
 * bench/attention-profile.ts; it is never shipped.
 *
 * It uses the first Rust toolchain that has the wasm32-unknown-unknown target: the one on
 * PATH (a contributor's rustup with the target), then Debian's /usr/bin/rustc (whose
 * libstd-rust-dev-wasm32 package provides the target where rustup cannot download it).
 */

import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const TARGET = 'wasm32-unknown-unknown';
const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const profile = process.argv.includes('--profile');
const targetDir = join(root, 'target', profile ? 'wasm-profile' : 'wasm');
const output = profile ? join(root, 'target', 'attnkit-profile.wasm') : join(root, 'packages', 'attnkit', 'dist', 'attnkit.wasm');

interface Toolchain {
  rustc: string;
  cargo: string;
}

/** Whether `rustc` can build for TARGET: its target libdir exists and holds libcore. */
function hasWasmTarget(rustc: string): boolean {
  try {
    const libdir = execFileSync(rustc, ['--print', 'target-libdir', '--target', TARGET], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    return existsSync(libdir) && statSync(libdir).isDirectory();
  } catch {
    return false;
  }
}

function findToolchain(): Toolchain | undefined {
  const candidates: Toolchain[] = [
    { rustc: process.env.RUSTC ?? 'rustc', cargo: process.env.CARGO ?? 'cargo' },
    { rustc: '/usr/bin/rustc', cargo: '/usr/bin/cargo' },
  ];
  return candidates.find((c) => hasWasmTarget(c.rustc));
}

const toolchain = findToolchain();
if (toolchain === undefined) {
  console.error(
    `attnkit build: no Rust toolchain with the ${TARGET} target was found.\n` +
      `  On Debian/Ubuntu:  sudo apt-get install -y rustc cargo libstd-rust-dev-wasm32 lld-14\n` +
      `  With rustup:       rustup target add ${TARGET}`,
  );
  process.exit(1);
}

execFileSync(toolchain.cargo, ['build', '--quiet', '--release', '--target', TARGET, '-p', 'attnkit-core', ...(profile ? ['--features', 'profile'] : [])], {
  cwd: root,
  stdio: 'inherit',
  env: {
    ...process.env,
    RUSTC: toolchain.rustc,
    RUSTFLAGS: '-C target-feature=+simd128,+bulk-memory',
    CARGO_TARGET_DIR: targetDir,
  },
});

mkdirSync(dirname(output), { recursive: true });
copyFileSync(join(targetDir, TARGET, 'release', 'attnkit_core.wasm'), output);
console.log(`attnkit build: ${output} (${statSync(output).size} bytes, rustc ${toolchain.rustc})`);
