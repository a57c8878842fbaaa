// mcpgated's command line: `serve`, `keys create`, `--version`, `--help`. Each subcommand loads
// the same settings (file, environment, flags) and returns the process exit code.
#pragma once

#include <QStringList>

namespace mcpgate::cli {

// Exit codes: 0 success, 1 runtime failure, 2 usage or configuration error.
int run(const QStringList &arguments);

} // namespace mcpgate::cli
