// `mcpgated keys create`: issues an API key for a tenant and role from the command line, for
// scripts and for recovering access without a running daemon.
#pragma once

#include <QString>

namespace mcpgate::config {
struct Settings;
}

namespace mcpgate::cli {

struct KeyRequest
{
    QString role;
    QString tenant;
    QString name;
    QString expiresInDays; // empty = never
};

// Prints the key alone on stdout; explanations and errors go to stderr. Returns the exit code.
int createKey(const config::Settings &settings, const KeyRequest &request);

} // namespace mcpgate::cli
