# Writes OUTPUT, the source of results::program_version(): the project version plus the commit the
# build was made from, with "-dirty" when tracked files differ from that commit. It runs on every
# build, not only when CMake configures, so that an incremental build after a new commit records
# the right commit; the file is rewritten only when its text changes, so nothing recompiles then.
#
# cmake -DVERSION=0.1.0 -DSOURCE_DIR=... -DOUTPUT=... [-DGIT_EXECUTABLE=...] -P write_version.cmake
set(commit "unknown")
if(GIT_EXECUTABLE AND EXISTS "${SOURCE_DIR}/.git")
  execute_process(COMMAND "${GIT_EXECUTABLE}" rev-parse --short=12 HEAD
                  WORKING_DIRECTORY "${SOURCE_DIR}"
                  OUTPUT_VARIABLE head OUTPUT_STRIP_TRAILING_WHITESPACE
                  RESULT_VARIABLE head_status ERROR_QUIET)
  if(head_status EQUAL 0 AND head)
    set(commit "${head}")
    execute_process(COMMAND "${GIT_EXECUTABLE}" diff --quiet HEAD --
                    WORKING_DIRECTORY "${SOURCE_DIR}"
                    RESULT_VARIABLE dirty_status ERROR_QUIET)
    if(dirty_status EQUAL 1)
      string(APPEND commit "-dirty")
    endif()
  endif()
endif()
set(text "// Written by cmake/write_version.cmake on every build; do not edit.
#include \"results/run_writer.hpp\"

namespace multivector::results {

std::string program_version() {
  return \"${VERSION}+${commit}\";
}

}  // namespace multivector::results
")
set(current "")
if(EXISTS "${OUTPUT}")
  file(READ "${OUTPUT}" current)
endif()
if(NOT current STREQUAL text)
  file(WRITE "${OUTPUT}" "${text}")
endif()
