#pragma once

// Runs the Catch2 session for test executables with a main() of their own (they make a
// QApplication first). Catch's implementation is compiled once, in catch_runner.cpp.
int runCatchSession(int argc, char** argv);
