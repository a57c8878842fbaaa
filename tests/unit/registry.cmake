include("${PROJECT_SOURCE_DIR}/tests/support/postgres.cmake")

set(registry_tests "${CMAKE_CURRENT_LIST_DIR}/registry")
mcpgate_add_test(tst_secretbox SOURCES "${registry_tests}/tst_secretbox.cpp"
    LIBS mcpgate_daemon LABELS registry)
mcpgate_add_test(tst_servervalidator SOURCES "${registry_tests}/tst_servervalidator.cpp"
    LIBS mcpgate_daemon LABELS registry)
mcpgate_add_test(tst_serverquery SOURCES "${registry_tests}/tst_serverquery.cpp"
    LIBS mcpgate_daemon LABELS registry)
mcpgate_add_test(tst_serverrecord SOURCES "${registry_tests}/tst_serverrecord.cpp"
    LIBS mcpgate_daemon LABELS registry)
mcpgate_add_test(tst_serverrepository SOURCES "${registry_tests}/tst_serverrepository.cpp"
    LIBS mcpgate_daemon mcpgate_test_postgres LABELS registry TIMEOUT 300)
# The same tests against a throwaway PostgreSQL cluster.
add_test(NAME tst_serverrepository_postgres COMMAND tst_serverrepository)
set_tests_properties(tst_serverrepository_postgres PROPERTIES
    TIMEOUT 300
    LABELS "registry;postgres"
    ENVIRONMENT "QT_QPA_PLATFORM=offscreen;QT_FORCE_ASSERTS=1;MCPGATE_SECRET_KEY=;MCPGATE_TEST_DATABASE=postgres")
