// Whether `npm run <script> -- …` asked for help (--help or -h), for the ensure-*.js steps that run
// before a script's own command: asking a command for its usage should install nothing. npm appends
// the arguments after `--` to the script's last command only, and tells the earlier ones nothing
// (npm_lifecycle_script is the script as written; npm 7 dropped npm_config_argv). The shell npm runs
// the script with has them: its `-c` string is the script followed by those arguments.
'use strict';
const { spawnSync } = require('node:child_process');
const { readFileSync } = require('node:fs');

const HELP_FLAGS = ['--help', '-h'];

/** The parent process's command line: /proc on Linux, `ps` elsewhere (its arguments joined by spaces). */
function parentCommandLine() {
  try {
    return readFileSync(`/proc/${process.ppid}/cmdline`, 'utf8').split('\0').join(' ');
  } catch {
    const ps = spawnSync('ps', ['-o', 'args=', '-p', String(process.ppid)], { encoding: 'utf8' });
    return ps.status === 0 ? ps.stdout.trim() : '';
  }
}

/** @returns {boolean} true when the arguments npm appended to the running script include --help or -h */
function helpRequested() {
  const script = process.env.npm_lifecycle_script;
  if (!script) return false;
  const line = parentCommandLine();
  const at = line.indexOf(script);
  if (at < 0) return false;
  // npm quotes an argument only when the shell needs it to; a bare --help is the flag itself.
  const appended = line.slice(at + script.length).split(/\s+/);
  return appended.some((arg) => HELP_FLAGS.includes(arg.replace(/^'(.*)'$/, '$1')));
}

module.exports = { helpRequested };
