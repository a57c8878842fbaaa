# The README's quick start, followed on a clean clone of the committed HEAD (quickstart.sh). It
# builds that clone itself, which ccache makes cheap after this build; the sanitizer build skips
# it (ctest -LE quickstart), since it does not test this build's binaries.
find_program(MCPGATE_BASH bash REQUIRED)
add_test(NAME quickstart COMMAND "${MCPGATE_BASH}" "${CMAKE_CURRENT_LIST_DIR}/quickstart.sh")
set_tests_properties(quickstart PROPERTIES
    LABELS quickstart
    TIMEOUT 900
    # Start it first: it runs the longest, and other tests can share the cores meanwhile.
    COST 1000
    ENVIRONMENT "MCPGATE_SOURCE_DIR=${PROJECT_SOURCE_DIR}")
