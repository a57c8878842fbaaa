mcpgate_add_fuzzer(httprequest SOURCES fuzz_httprequest.cpp LIBS mcpgate_http Qt6::Network
    CORPUS "${CMAKE_CURRENT_SOURCE_DIR}/corpus/httprequest")
