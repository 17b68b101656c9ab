#pragma once

namespace lb::runtime {

// Makes idle OpenMP worker threads sleep instead of spinning (OMP_WAIT_POLICY=PASSIVE) unless the
// user chose a policy (OMP_WAIT_POLICY or GOMP_SPINCOUNT set). libgomp reads these variables when
// it is loaded, before main(), so the process re-executes itself once with the variable set; call
// this first thing in main(), before any OpenMP region and before creating threads. Returns only
// when nothing needed changing or the re-execution failed (then the process keeps libgomp's
// default of spinning ~3 ms per wait).
//
// Why: with N threads on N cores and another process taking a core, a spinning waiter holds the
// core the preempted worker needs; on the 2-core CI machine 2-thread runs of the PaddleOCR
// detector went from ~1.2 s to ~0.14 s per image under load (ONNX Runtime ~0.3 s).
void configureThreading(char** argv);

} // namespace lb::runtime
