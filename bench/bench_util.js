// Shared by the side-by-side benchmark drivers (bench/ort_bench.js, bench/arch_bench.js):
// running a tool, reading its JSON, medians, number formatting and the machine's load.
// Functions that can fail take the caller's `fail` (message) so errors keep the tool's prefix.
'use strict';

const fs = require('fs');
const {spawnSync} = require('child_process');

// Runs CMD ARGS and returns its stdout; on failure, fail()s with the command and the last line
// of its stderr, or with allowFailure returns {error: that line}.
function runTool(cmd, args, fail, allowFailure = false) {
  const r = spawnSync(cmd, args, {encoding: 'utf8', maxBuffer: 64 << 20});
  if (r.status !== 0) {
    const why = `${(r.stderr || String(r.error)).trim().split('\n').pop()}`;
    if (allowFailure) return {error: why};
    fail(`${cmd} ${args.join(' ')} failed (${r.status}): ${why}`);
  }
  return r.stdout;
}

function readJson(file) {
  return JSON.parse(fs.readFileSync(file, 'utf8'));
}

function median(v) {
  const s = [...v].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}

// A number with `digits` decimals, '-' for a missing one.
function fmt(v, digits = 2) {
  return v === undefined || Number.isNaN(v) ? '-' : v.toFixed(digits);
}

// The 1, 5 and 15 minute load averages, as /proc/loadavg gives them.
function load() {
  return fs.readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
}

module.exports = {runTool, readJson, median, fmt, load};
