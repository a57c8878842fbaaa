#include "commandline.h"

#include "config/configerror.h"
#include "config/configloader.h"
#include "keyscommand.h"
#include "servecommand.h"

#include <QCommandLineParser>
#include <QProcessEnvironment>
#include <QTextStream>

#include <mcpgate/version.h>
#include <optional>

namespace mcpgate::cli {

namespace {

QTextStream &err()
{
    static QTextStream stream(stderr);
    return stream;
}

const char *const kUsage
    = "usage: mcpgated serve [options]\n"
      "       mcpgated keys create --role ROLE --tenant TENANT --name NAME [options]\n"
      "       mcpgated --version\n"
      "Run 'mcpgated serve --help' or 'mcpgated keys create --help' for the options.\n";

void addCommonOptions(QCommandLineParser &parser)
{
    parser.addHelpOption();
    parser.addOption({QStringLiteral("config"), QStringLiteral("Read settings from FILE."),
                      QStringLiteral("FILE")});
    parser.addOption({QStringLiteral("data-dir"),
                      QStringLiteral("Keep the database and keys under DIR."),
                      QStringLiteral("DIR")});
    parser.addOption(
        {QStringLiteral("database"),
         QStringLiteral("Database URL: sqlite:/path.db or postgresql://user:pass@host:port/db."),
         QStringLiteral("URL")});
    parser.addOption({QStringLiteral("set"),
                      QStringLiteral("Set any setting, e.g. --set server.idle_timeout_ms=30000."),
                      QStringLiteral("KEY=VALUE")});
}

void collectCommonOverrides(const QCommandLineParser &parser,
                            QList<config::ConfigOverride> &overrides)
{
    if (parser.isSet(QStringLiteral("data-dir")))
        overrides.append({QStringLiteral("storage.data_dir"),
                          parser.value(QStringLiteral("data-dir")), QStringLiteral("--data-dir")});
    if (parser.isSet(QStringLiteral("database")))
        overrides.append({QStringLiteral("storage.database"),
                          parser.value(QStringLiteral("database")), QStringLiteral("--database")});
    for (const QString &assignment : parser.values(QStringLiteral("set"))) {
        const qsizetype equals = assignment.indexOf(u'=');
        overrides.append({assignment.left(equals),
                          equals < 0 ? QString() : assignment.mid(equals + 1),
                          QStringLiteral("--set ") + assignment.left(equals)});
    }
}

// Settings from --config, the environment and the flags; prints the reason and returns nothing
// when they are invalid.
std::optional<config::Settings> loadSettings(const QCommandLineParser &parser,
                                             const QList<config::ConfigOverride> &overrides)
{
    try {
        return config::ConfigLoader::load(parser.value(QStringLiteral("config")),
                                          QProcessEnvironment::systemEnvironment(), overrides);
    } catch (const config::ConfigError &error) {
        err() << "mcpgated: " << error.what() << '\n';
        return std::nullopt;
    }
}

bool parse(QCommandLineParser &parser, const QStringList &arguments)
{
    if (!parser.parse(arguments)) {
        err() << "mcpgated: " << parser.errorText() << '\n';
        return false;
    }
    if (!parser.positionalArguments().isEmpty()) {
        err() << "mcpgated: unexpected argument '" << parser.positionalArguments().first() << "'\n";
        return false;
    }
    return true;
}

int serve(const QStringList &arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("Run the MCPGate daemon."));
    addCommonOptions(parser);
    parser.addOption({QStringLiteral("listen"),
                      QStringLiteral("Listen on HOST:PORT (port 0 picks a free port)."),
                      QStringLiteral("HOST:PORT")});
    parser.addOption({QStringLiteral("register-demo"),
                      QStringLiteral("On first start, register the bundled demo MCP server.")});
    parser.addOption({QStringLiteral("log-format"),
                      QStringLiteral("Log as 'text' or 'json' lines."), QStringLiteral("FORMAT")});
    if (!parse(parser, arguments))
        return 2;
    if (parser.isSet(QStringLiteral("help"))) {
        QTextStream(stdout) << parser.helpText();
        return 0;
    }
    QList<config::ConfigOverride> overrides;
    collectCommonOverrides(parser, overrides);
    if (parser.isSet(QStringLiteral("listen")))
        overrides.append({QStringLiteral("server.listen"), parser.value(QStringLiteral("listen")),
                          QStringLiteral("--listen")});
    if (parser.isSet(QStringLiteral("register-demo")))
        overrides.append({QStringLiteral("bootstrap.register_demo"), QStringLiteral("true"),
                          QStringLiteral("--register-demo")});
    if (parser.isSet(QStringLiteral("log-format")))
        overrides.append({QStringLiteral("log.format"), parser.value(QStringLiteral("log-format")),
                          QStringLiteral("--log-format")});

    const auto settings = loadSettings(parser, overrides);
    if (!settings)
        return 2;
    return ServeCommand(*settings).run();
}

int keys(const QStringList &arguments)
{
    if (arguments.size() < 3 || arguments.at(2) != QLatin1String("create")) {
        err() << "mcpgated: the keys command takes one action: create\n" << kUsage;
        return 2;
    }
    QStringList rest = arguments;
    rest.removeAt(1); // "keys": parse "mcpgated create --role ..."
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("Issue an API key and print it once."));
    addCommonOptions(parser);
    parser.addPositionalArgument(QStringLiteral("create"), QStringLiteral("Create a key."));
    parser.addOption(
        {QStringLiteral("role"), QStringLiteral("Role of the key."), QStringLiteral("ROLE")});
    parser.addOption({QStringLiteral("tenant"),
                      QStringLiteral("Tenant of the key (default: default)."),
                      QStringLiteral("TENANT"), QStringLiteral("default")});
    parser.addOption({QStringLiteral("name"),
                      QStringLiteral("A name that says what the key is for."),
                      QStringLiteral("NAME")});
    parser.addOption({QStringLiteral("expires-in-days"),
                      QStringLiteral("Expire the key after DAYS days."), QStringLiteral("DAYS")});
    if (!parser.parse(rest)) {
        err() << "mcpgated: " << parser.errorText() << '\n';
        return 2;
    }
    if (parser.isSet(QStringLiteral("help"))) {
        QTextStream(stdout) << parser.helpText();
        return 0;
    }
    if (parser.positionalArguments() != QStringList {QStringLiteral("create")}) {
        err() << "mcpgated: unexpected arguments " << parser.positionalArguments().join(u' ')
              << '\n';
        return 2;
    }
    QList<config::ConfigOverride> overrides;
    collectCommonOverrides(parser, overrides);
    const auto settings = loadSettings(parser, overrides);
    if (!settings)
        return 2;
    KeyRequest request;
    request.role = parser.value(QStringLiteral("role"));
    request.tenant = parser.value(QStringLiteral("tenant"));
    request.name = parser.value(QStringLiteral("name"));
    request.expiresInDays = parser.value(QStringLiteral("expires-in-days"));
    return createKey(*settings, request);
}

} // namespace

int run(const QStringList &arguments)
{
    const QString command = arguments.value(1);
    if (command == QLatin1String("--version") || command == QLatin1String("-v")
        || command == QLatin1String("version")) {
        QTextStream(stdout) << "mcpgated " << MCPGATE_VERSION << '\n';
        return 0;
    }
    if (command == QLatin1String("--help") || command == QLatin1String("-h")
        || command == QLatin1String("help")) {
        QTextStream(stdout) << kUsage;
        return 0;
    }
    if (command == QLatin1String("serve"))
        return serve(arguments.mid(0, 1) + arguments.mid(2));
    if (command == QLatin1String("keys"))
        return keys(arguments);
    err() << "mcpgated: "
          << (command.isEmpty() ? QStringLiteral("no command given")
                                : QStringLiteral("unknown command '%1'").arg(command))
          << '\n'
          << kUsage;
    return 2;
}

} // namespace mcpgate::cli
