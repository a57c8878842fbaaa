mcpgate_add_fuzzer(fuzz_jsonrpc
    SOURCES "${CMAKE_CURRENT_LIST_DIR}/fuzz_jsonrpc.cpp"
    LIBS mcpgate_common
    CORPUS "${CMAKE_CURRENT_LIST_DIR}/corpus/jsonrpc")
