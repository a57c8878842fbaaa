// mcpgated: the MCPGate daemon. All logic lives in mcpgate_daemon; this is only the entry point.
#include "cli/commandline.h"

#include <QCoreApplication>

int main(int argc, char *argv[])
{
    // Qt's plain UNIX event dispatcher serves sockets faster than the GLib one (about +15-20%
    // req/s on /healthz, bench/results/idle-connections-2026-11-29.md); the daemon needs nothing
    // from GLib. An explicit QT_NO_GLIB in the environment is respected.
    if (!qEnvironmentVariableIsSet("QT_NO_GLIB"))
        qputenv("QT_NO_GLIB", "1");
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("mcpgated"));
    QCoreApplication::setOrganizationName(QStringLiteral("MCPGate"));
    return mcpgate::cli::run(QCoreApplication::arguments());
}
