mcpgate_add_test(tst_configfile SOURCES "${CMAKE_CURRENT_LIST_DIR}/tst_configfile.cpp"
    LIBS mcpgate_daemon LABELS config)
mcpgate_add_test(tst_configloader SOURCES "${CMAKE_CURRENT_LIST_DIR}/tst_configloader.cpp"
    LIBS mcpgate_daemon LABELS config)
