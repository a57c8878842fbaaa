# The validator is compiled into the fuzzer itself, so libFuzzer instruments it for coverage.
mcpgate_add_fuzzer(fuzz_serverjson
    SOURCES "${CMAKE_CURRENT_LIST_DIR}/fuzz_serverjson.cpp"
            "${PROJECT_SOURCE_DIR}/daemon/registry/jsonmergepatch.cpp"
            "${PROJECT_SOURCE_DIR}/daemon/registry/servercredential.cpp"
            "${PROJECT_SOURCE_DIR}/daemon/registry/serverrecord.cpp"
            "${PROJECT_SOURCE_DIR}/daemon/registry/servertransport.cpp"
            "${PROJECT_SOURCE_DIR}/daemon/registry/servervalidator.cpp"
            "${PROJECT_SOURCE_DIR}/daemon/registry/validationerror.cpp"
            "${PROJECT_SOURCE_DIR}/daemon/storage/sqltime.cpp"
    LIBS Qt6::Core
    CORPUS "${CMAKE_CURRENT_LIST_DIR}/corpus/serverjson")
target_include_directories(fuzz_serverjson PRIVATE "${PROJECT_SOURCE_DIR}/daemon")
