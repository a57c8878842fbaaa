// Errors in mcpgated's configuration. what() is a complete message for the operator, naming where
// the bad value came from (file and line, environment variable, or command-line flag).
#pragma once

#include <QString>

#include <stdexcept>

namespace mcpgate::config {

class ConfigError : public std::runtime_error
{
public:
    explicit ConfigError(const QString &message)
        : std::runtime_error(message.toStdString())
    { }
};

// A syntax error in a configuration file; line and column count from 1. what() reads
// "FILE:LINE:COLUMN: reason", or "line LINE, column COLUMN: reason" when the text has no file.
class ConfigSyntaxError final : public ConfigError
{
public:
    ConfigSyntaxError(const QString &file, int line, int column, const QString &reason)
        : ConfigError(
            file.isEmpty()
                ? QStringLiteral("line %1, column %2: %3").arg(line).arg(column).arg(reason)
                : QStringLiteral("%1:%2:%3: %4").arg(file).arg(line).arg(column).arg(reason))
        , m_file(file)
        , m_line(line)
        , m_column(column)
        , m_reason(reason)
    { }

    QString file() const { return m_file; }
    int line() const { return m_line; }
    int column() const { return m_column; }
    QString reason() const { return m_reason; }

private:
    QString m_file;
    int m_line;
    int m_column;
    QString m_reason;
};

} // namespace mcpgate::config
