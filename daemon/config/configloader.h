// Builds the effective Settings from defaults, the configuration file, MCPGATE_* environment
// variables and command-line flags, in that order of precedence, validating every value.
#pragma once

#include "config/settings.h"

#include <QList>
#include <QString>

class QProcessEnvironment;

namespace mcpgate::config {

// One value given on the command line, e.g. {"server.listen", "127.0.0.1:0", "--listen"}.
struct ConfigOverride
{
    QString key; // "section.key"
    QString value; // converted to the key's type like an environment value
    QString origin; // how the operator gave it, for messages; "--set KEY" when empty
};

class ConfigLoader final
{
public:
    // `configFile` empty means none; a file given but missing is an error. Environment variables
    // with an empty value count as unset. Throws ConfigError naming where the bad value came
    // from, e.g. "/etc/mcpgate/mcpgated.conf:12: server.max_body_bytes: must be between 1024 and
    // 1073741824", "environment MCPGATE_SERVER_LISTEN: ...", "--listen: ...".
    // Fills in derived defaults (data_dir, database, secret_key_file, demo_command).
    static Settings load(const QString &configFile, const QProcessEnvironment &env,
                         const QList<ConfigOverride> &overrides = {});
};

} // namespace mcpgate::config
