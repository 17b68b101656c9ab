#!/usr/bin/env node
// Side-by-side runtime benchmark on the architecture set (make_arch_models.py): layerbench-cli
// run (backend auto) against ONNX Runtime (ort_run.js), each round a fresh process per side,
// alternating who goes first, at each thread count. Driven by run_arch_bench.sh, which builds and
// exports the models first. Settings from the environment:
//   LB_BUILD (build dir, required), LB_ARCH_DIR (the models and manifest.json, required),
//   LB_ROUNDS (3), LB_WARMUP (3), LB_ITERATIONS (20), LB_THREADS ("1,2"), LB_ARCHS (keys, default
//   every model in the manifest), LB_RESULTS (bench/RESULTS.md; "" = do not write), LB_OUT
//   (bench/out/archs), LB_RESULTS_TAG (its own section, e.g. before; default none),
//   LB_BEFORE_CLI (another layerbench-cli, e.g. main's: a third side in every round, "before").
// OMP_* variables reach our runs (ORT does not use OpenMP) and are recorded in the command.
// A model our runtime cannot run yet (an op no backend has) is measured on ORT alone and its row
// says why ours cannot run it.
'use strict';

const fs = require('fs');
const os = require('os');
const path = require('path');
const {runTool, readJson, median, fmt, load} = require('./bench_util');

const here = __dirname;
const env = process.env;
const build = env.LB_BUILD || fail('LB_BUILD is not set');
const archDir = env.LB_ARCH_DIR || fail('LB_ARCH_DIR is not set');
const rounds = Number(env.LB_ROUNDS || 3);
const warmup = Number(env.LB_WARMUP || 3);
const iterations = Number(env.LB_ITERATIONS || 20);
const threadsList = (env.LB_THREADS || '1,2').split(',').map(Number);
const outDir = env.LB_OUT || path.join(here, 'out', 'archs');
const resultsPath = env.LB_RESULTS === undefined ? path.join(here, 'RESULTS.md') : env.LB_RESULTS;
const cli = path.join(build, 'app', 'cli', 'layerbench-cli');
const ortRun = path.join(here, 'ort_run.js');
const beforeCli = env.LB_BEFORE_CLI || '';
// Targets from issue #13: ours/ORT median latency per thread count (others: never above 1).
const kTarget = {1: 0.8, 2: 1.0};

function fail(msg) {
  process.stderr.write(`arch_bench.js: ${msg}\n`);
  process.exit(1);
}

function run(cmd, args, allowFailure = false) {
  return runTool(cmd, args, fail, allowFailure);
}





function ours(model, input, shape, threads, iters, warm, tag, allowFailure = false, exe = cli) {
  const json = path.join(outDir, `${tag}.json`);
  const out = run(exe, ['run', model, '--backend', 'auto', '--threads', String(threads), '--warmup',
                        String(warm), '--iterations', String(iters), '--shape', `x=${shape}`,
                        '--input', `x=${input}`, '--json', json], allowFailure);
  if (out.error) return out;
  const j = readJson(json);
  return {runs: j.runs_ms, report: j};
}

function ort(model, input, threads, tag) {
  const json = path.join(outDir, `${tag}.json`);
  run('node', [ortRun, model, '--threads', String(threads), '--warmup', String(warmup),
               '--iterations', String(iterations), '--input', `x=${input}`, '--json', json]);
  return {runs: readJson(json).runs_ms};
}

// Per op type: summed share of node time, node count and the backends that ran it.
function topOps(report, n = 4) {
  const byOp = new Map();
  for (const node of report.nodes || []) {
    const e = byOp.get(node.op) || {share: 0, count: 0, backends: new Set()};
    e.share += node.share;
    e.count += 1;
    e.backends.add(node.backend);
    byOp.set(node.op, e);
  }
  return [...byOp.entries()].sort((a, b) => b[1].share - a[1].share).slice(0, n)
      .map(([op, e]) => `${op} ${(e.share * 100).toFixed(0)}% (${e.count}x, ${[...e.backends].join('/')})`);
}

// Nodes that ran on the reference backend: count, share of node time, op types.
function fallbacks(report) {
  const f = (report.nodes || []).filter((x) => x.backend === 'reference');
  return {count: f.length, share: f.reduce((a, x) => a + x.share, 0),
          ops: [...new Set(f.map((x) => x.op))].sort()};
}

function main() {
  fs.mkdirSync(outDir, {recursive: true});
  if (!fs.existsSync(cli)) fail(`${cli} is missing (build it first)`);
  const manifest = readJson(path.join(archDir, 'manifest.json'));
  const keys = env.LB_ARCHS ? env.LB_ARCHS.split(',') : Object.keys(manifest);
  const loadBefore = load();
  const rows = [];
  for (const key of keys) {
    const m = manifest[key] || fail(`'${key}' is not in ${archDir}/manifest.json`);
    const model = path.join(archDir, m.file);
    const input = path.join(outDir, `${key}_x.npy`);
    run('node', [ortRun, '--make-input', input, '--shape', m.shape, '--seed', '7']);
    const info = run(cli, ['info', model, '--shape', `x=${m.shape}`, '--json'], true);
    const macs = info.error ? undefined : JSON.parse(info).macs;
    const probe = ours(model, input, m.shape, 1, 1, 0, `${key}_probe`, true);
    const cannot = probe.error;
    const cannotBefore = beforeCli && ours(model, input, m.shape, 1, 1, 0, `${key}_probe_before`, true, beforeCli).error;
    for (const t of threadsList) {
      const o = [], r = [], p = [];
      for (let k = 0; k < rounds; ++k) {
        const jobs = [
          () => { if (!cannot) o.push(ours(model, input, m.shape, t, iterations, warmup, `${key}_t${t}_ours_${k}`)); },
          () => r.push(ort(model, input, t, `${key}_t${t}_ort_${k}`)),
        ];
        if (beforeCli)
          jobs.push(() => { if (!cannotBefore) p.push(ours(model, input, m.shape, t, iterations, warmup, `${key}_t${t}_before_${k}`, false, beforeCli)); });
        for (let j = 0; j < jobs.length; ++j) jobs[(j + k) % jobs.length](); // who goes first rotates
        process.stderr.write(`${key} t${t} round ${k + 1}/${rounds}\n`);
      }
      const beforeMs = p.length ? median(p.flatMap((x) => x.runs)) : undefined;
      // Best of all timed runs: on a shared machine a run is either undisturbed or preempted for
      // whole time slices, so the minimum tracks the work done and the median tracks the load.
      const best = (sides) => (sides.length ? Math.min(...sides.flatMap((x) => x.runs)) : undefined);
      const ortMs = median(r.flatMap((x) => x.runs));
      const oursMs = cannot ? undefined : median(o.flatMap((x) => x.runs));
      rows.push({key, m, threads: t, macs, cannot, oursMs, ortMs, beforeMs,
                 oursBest: best(o), ortBest: best(r), beforeBest: best(p),
                 beforeRatio: beforeMs === undefined ? undefined : beforeMs / ortMs,
                 ratio: cannot ? undefined : oursMs / ortMs,
                 oursRounds: o.map((x) => median(x.runs)), ortRounds: r.map((x) => median(x.runs)),
                 beforeRounds: p.map((x) => median(x.runs)),
                 top: cannot ? [] : topOps(o[o.length - 1].report),
                 fb: cannot ? undefined : fallbacks(o[o.length - 1].report)});
    }
  }
  const loadAfter = load();

  const cpu = (fs.readFileSync('/proc/cpuinfo', 'utf8').match(/model name\s*:\s*(.*)/) || [])[1];
  const date = new Date().toISOString().replace('T', ' ').slice(0, 16) + ' UTC';
  const ompEnv = Object.keys(env).filter((k) => k.startsWith('OMP_') || k.startsWith('GOMP_'))
      .map((k) => `${k}=${env[k]} `).join('');
  const command = `${ompEnv}LB_ROUNDS=${rounds} LB_WARMUP=${warmup} LB_ITERATIONS=${iterations} ` +
      `LB_THREADS=${threadsList.join(',')}` + (env.LB_ARCHS ? ` LB_ARCHS=${keys.join(',')}` : '') +
      (env.LB_RESULTS_TAG ? ` LB_RESULTS_TAG=${env.LB_RESULTS_TAG}` : '') +
      (beforeCli ? ` LB_BEFORE_CLI=${beforeCli}` : '') +
      ` bench/run_arch_bench.sh ${path.relative(path.dirname(here), build) || build}`;
  const md = [];
  md.push('## Architectures beyond PaddleOCR: ours (backend auto) vs ONNX Runtime' +
          (env.LB_RESULTS_TAG ? ` (${env.LB_RESULTS_TAG})` : ''), '');
  md.push(`Command: \`${command}\``, '');
  md.push(`Machine: ${os.cpus().length} cores, ${cpu}, ${date}. Load average before/after: ` +
          `${loadBefore} / ${loadAfter} (a shared machine: read the ratios, not the milliseconds).`, '');
  md.push(`Models: \`bench/make_arch_models.py\` (PyTorch ${'1.13'} / torchvision 0.14 from Debian, ` +
          `random weights, seed 13, opset 13). Each model and thread count: ${rounds} rounds ` +
          `alternating ours and ORT${beforeCli ? ' and the "before" build (' + beforeCli + ')' : ''} ` +
          `(who goes first rotates), each a fresh process with ` +
          `${warmup} warm-up + ${iterations} timed runs; latency = median of all timed runs of a side. ` +
          `ORT: CPU EP, graphOptimizationLevel all, intra-op threads N. Same fixed-seed input. ` +
          `Target (issue #13): ours/ORT <= 0.8 at 1 thread, <= 1.0 at 2 threads. "best" = the fastest ` +
          `timed run of a side: on a loaded machine runs are either undisturbed or preempted for whole ` +
          `time slices, so the medians follow the load and the best runs follow the work.`, '');
  const b = beforeCli ? ' before ms | before/ORT |' : '';
  const bb = beforeCli ? ' before/ORT best |' : '';
  md.push(`| model | family | input | thr |${b} ours ms | ORT ms | ours/ORT | target |${bb} ours best ms | ORT best ms | ours/ORT best | reference fallbacks |`);
  md.push(`| --- | --- | --- | ---: |${beforeCli ? ' ---: | ---: |' : ''} ---: | ---: | ---: | --- |${beforeCli ? ' ---: |' : ''} ---: | ---: | ---: | --- |`);
  for (const r of rows) {
    const target = kTarget[r.threads] ?? 1.0;
    const met = r.cannot ? 'cannot run yet' : `<= ${target}: ${r.ratio <= target ? 'met' : 'NOT met'}`;
    const fb = r.cannot ? r.cannot.replace(/\|/g, '/').slice(0, 160)
                        : r.fb.count ? `${r.fb.count} nodes, ${fmt(r.fb.share * 100, 1)}%: ${r.fb.ops.join(', ')}` : 'none';
    const bc = beforeCli ? ` ${fmt(r.beforeMs)} | ${fmt(r.beforeRatio)} |` : '';
    md.push(`| ${r.key} | ${r.m.family} | ${r.m.shape} | ${r.threads} |${bc} ${fmt(r.oursMs)} | ` +
            `${fmt(r.ortMs)} | ${fmt(r.ratio)} | ${met} |` +
            (beforeCli ? ` ${fmt(r.beforeBest / r.ortBest)} |` : '') +
            ` ${fmt(r.oursBest)} | ${fmt(r.ortBest)} | ${fmt(r.oursBest / r.ortBest)} | ${fb} |`);
  }
  md.push('', `Per-round medians (ms), ours | ORT${beforeCli ? ' | before' : ''}, and where our time ` +
          'goes (op type: share of summed node time, node count, backend; last round):', '');
  for (const r of rows)
    md.push(`- ${r.key} t${r.threads}: ${r.oursRounds.map((v) => fmt(v)).join(' ')} | ` +
            `${r.ortRounds.map((v) => fmt(v)).join(' ')}` +
            `${r.beforeRounds.length ? ' | before ' + r.beforeRounds.map((v) => fmt(v)).join(' ') : ''}${r.top.length ? '. ' + r.top.join('; ') : ''}`);
  const text = md.join('\n') + '\n';
  process.stdout.write(text);
  fs.writeFileSync(path.join(outDir, `arch_results${env.LB_RESULTS_TAG ? '_' + env.LB_RESULTS_TAG : ''}.json`),
                   JSON.stringify({rows, loadBefore, loadAfter}, null, 2));
  if (resultsPath) {
    const tag = 'arch-bench' + (env.LB_RESULTS_TAG ? '-' + env.LB_RESULTS_TAG : '');
    const begin = `<!-- ${tag}:begin -->`, end = `<!-- ${tag}:end -->`;
    let doc = fs.existsSync(resultsPath) ? fs.readFileSync(resultsPath, 'utf8') : '# LayerBench benchmark results\n';
    const block = `${begin}\n${text}${end}`;
    const i = doc.indexOf(begin), j = doc.indexOf(end);
    doc = i >= 0 && j > i ? doc.slice(0, i) + block + doc.slice(j + end.length)
                          : doc.replace(/\n*$/, '\n\n') + block + '\n';
    fs.writeFileSync(resultsPath, doc);
    process.stderr.write(`updated ${resultsPath}\n`);
  }
}

main();
