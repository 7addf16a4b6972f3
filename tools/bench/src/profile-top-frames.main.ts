// The top frames of V8 CPU profiles (`node --cpu-prof`, or a benchmark's BENCH_CPU_PROFILE_DIR) by self time:
//   npx tsx tools/bench/src/profile-top-frames.main.ts <file.cpuprofile>… [--top 20] [--by frame|package]
import { readFileSync } from 'node:fs';
import { formatTopFrames, topFrames, type CpuProfile } from './profile-top-frames';

function main(argv: string[]): void {
  const usage =
    'Usage: npx tsx tools/bench/src/profile-top-frames.main.ts <file.cpuprofile> [--top N] [--by frame|package]';
  const files: string[] = [];
  let top = 20;
  let by: 'frame' | 'package' = 'frame';
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    if (arg === '--help' || arg === '-h') return void console.log(usage);
    if (arg === '--top') top = Number(argv[++i]);
    else if (arg === '--by') by = argv[++i] === 'package' ? 'package' : 'frame';
    else files.push(arg);
  }
  if (files.length === 0 || !Number.isInteger(top) || top <= 0) {
    console.error(usage);
    process.exitCode = 2;
    return;
  }
  for (const file of files) {
    const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
    console.log(`${file}`);
    console.log(formatTopFrames(topFrames(profile, { top, by })));
    console.log('');
  }
}

main(process.argv.slice(2));
