# The parser is compiled into the fuzzer itself, so libFuzzer instruments it for coverage.
mcpgate_add_fuzzer(fuzz_configfile
    SOURCES "${CMAKE_CURRENT_LIST_DIR}/fuzz_configfile.cpp"
            "${PROJECT_SOURCE_DIR}/daemon/config/configfile.cpp"
    LIBS Qt6::Core
    CORPUS "${CMAKE_CURRENT_LIST_DIR}/corpus/configfile")
target_include_directories(fuzz_configfile PRIVATE "${PROJECT_SOURCE_DIR}/daemon")
