# Backend names are spelled in one place, the backend registry (engine/backends/): the CLI, the
# GUI, the runs and the passes read them from there. The target registry (engine/run/targets.cpp)
# names the backend each named target prefers, and "reference" is a target's name too. Fails on a quoted backend name ("onednn",
# "reference") in a source of engine/ outside engine/backends/, app/ or widgets/, naming the file
# and line. Tests may spell them.
#   cmake -DSOURCE_DIR=<src> -P check_backend_names.cmake
cmake_minimum_required(VERSION 3.25)

if(NOT SOURCE_DIR)
    message(FATAL_ERROR "usage: cmake -DSOURCE_DIR=<source dir> -P check_backend_names.cmake")
endif()

file(GLOB_RECURSE sources RELATIVE ${SOURCE_DIR}
     ${SOURCE_DIR}/engine/*.cpp ${SOURCE_DIR}/engine/*.h ${SOURCE_DIR}/app/*.cpp
     ${SOURCE_DIR}/app/*.h ${SOURCE_DIR}/widgets/*.cpp ${SOURCE_DIR}/widgets/*.h)
set(found 0)
foreach(file IN LISTS sources)
    if(file MATCHES "^engine/backends/" OR file STREQUAL "engine/run/targets.cpp")
        continue()
    endif()
    file(STRINGS ${SOURCE_DIR}/${file} lines REGEX "\"(onednn|reference)\"")
    foreach(line IN LISTS lines)
        string(STRIP "${line}" line)
        message("${file}: a backend name spelled by hand (read it from backends/registry.h): ${line}")
        math(EXPR found "${found} + 1")
    endforeach()
endforeach()
if(found GREATER 0)
    message(FATAL_ERROR "${found} backend name(s) outside engine/backends")
endif()
