// mcpgated: the MCPGate daemon. All logic lives in mcpgate_daemon; this is only the entry point.
#include "cli/commandline.h"

#include <QCoreApplication>

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("mcpgated"));
    QCoreApplication::setOrganizationName(QStringLiteral("MCPGate"));
    return mcpgate::cli::run(QCoreApplication::arguments());
}
