# One INTERFACE target carries the compile settings every MCPGate target shares.
add_library(mcpgate_settings INTERFACE)
add_library(MCPGate::settings ALIAS mcpgate_settings)

target_compile_features(mcpgate_settings INTERFACE cxx_std_20)
set(CMAKE_CXX_EXTENSIONS OFF)

target_compile_definitions(mcpgate_settings INTERFACE
    QT_NO_CAST_FROM_ASCII
    QT_NO_CAST_TO_ASCII
    QT_NO_CONTEXTLESS_CONNECT
    QT_USE_QSTRINGBUILDER
    QT_NO_URL_CAST_FROM_STRING
    QT_NO_NARROWING_CONVERSIONS_IN_CONNECT
    QT_DISABLE_DEPRECATED_UP_TO=0x060400)

if(CMAKE_CXX_COMPILER_ID MATCHES "GNU|Clang")
    target_compile_options(mcpgate_settings INTERFACE
        -Wall -Wextra -pedantic -Wold-style-cast -Wnon-virtual-dtor -Woverloaded-virtual
        -fstack-protector-strong)
    if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU")
        target_compile_options(mcpgate_settings INTERFACE -Wshadow=local)
    endif()
    if(NOT MCPGATE_SANITIZE)
        target_compile_definitions(mcpgate_settings INTERFACE $<$<NOT:$<CONFIG:Debug>>:_FORTIFY_SOURCE=2>)
    endif()
    if(MCPGATE_WERROR)
        target_compile_options(mcpgate_settings INTERFACE -Werror)
    endif()
    if(MCPGATE_SANITIZE)
        target_compile_options(mcpgate_settings INTERFACE
            -fsanitize=address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer)
        target_link_options(mcpgate_settings INTERFACE -fsanitize=address,undefined)
    endif()
elseif(MSVC)
    target_compile_options(mcpgate_settings INTERFACE /W4 /permissive- /Zc:__cplusplus /utf-8)
    if(MCPGATE_WERROR)
        target_compile_options(mcpgate_settings INTERFACE /WX)
    endif()
endif()

if(MCPGATE_FORCE_ASSERTS)
    target_compile_definitions(mcpgate_settings INTERFACE QT_FORCE_ASSERTS)
endif()

# libFuzzer needs coverage instrumentation in the code under test, not only in the fuzzer.
if(MCPGATE_BUILD_FUZZERS)
    target_compile_options(mcpgate_settings INTERFACE -fsanitize=fuzzer-no-link)
endif()
