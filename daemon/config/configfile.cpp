#include "config/configfile.h"

#include "config/configerror.h"

#include <QFile>
#include <QFileInfo>
#include <QRegularExpression>
#include <QStringDecoder>

namespace mcpgate::config {

namespace {

// Nobody writes a configuration file this large; refusing it keeps a mistaken path (a log, a
// database) from being read into memory.
constexpr qint64 maxFileBytes = 1024 * 1024;

bool isBareKeyChar(QChar c)
{
    return (c >= QLatin1Char('a') && c <= QLatin1Char('z'))
        || (c >= QLatin1Char('A') && c <= QLatin1Char('Z'))
        || (c >= QLatin1Char('0') && c <= QLatin1Char('9')) || c == QLatin1Char('_')
        || c == QLatin1Char('-');
}

bool isSpace(QChar c)
{
    return c == QLatin1Char(' ') || c == QLatin1Char('\t');
}

// One line of the file. Values never span lines in this subset, so every error has the line.
class LineParser final
{
public:
    LineParser(const QString &text, int line)
        : m_text(text)
        , m_line(line)
    { }

    [[noreturn]] void fail(qsizetype pos, const QString &reason) const
    {
        throw ConfigSyntaxError(QString(), m_line, int(pos) + 1, reason);
    }

    qsizetype pos() const { return m_pos; }
    bool atEnd() const { return m_pos >= m_text.size(); }
    QChar peek(qsizetype ahead = 0) const
    {
        return m_pos + ahead < m_text.size() ? m_text.at(m_pos + ahead) : QChar();
    }

    void advance() { ++m_pos; }

    void skipSpace()
    {
        while (!atEnd() && isSpace(peek()))
            ++m_pos;
    }

    // After a header or a value: only blanks and a comment may follow.
    void expectLineEnd(const QString &after)
    {
        skipSpace();
        if (!atEnd() && peek() != QLatin1Char('#'))
            fail(m_pos, QStringLiteral("unexpected text after %1").arg(after));
    }

    QString parseName(const QString &what)
    {
        const qsizetype start = m_pos;
        if (peek() == QLatin1Char('"') || peek() == QLatin1Char('\''))
            fail(m_pos, QStringLiteral("quoted %1s are not supported").arg(what));
        while (!atEnd() && isBareKeyChar(peek()))
            ++m_pos;
        if (m_pos == start)
            fail(m_pos,
                 QStringLiteral("expected a %1 name (letters, digits, '_' or '-')").arg(what));
        return m_text.mid(start, m_pos - start);
    }

    QString parseSection()
    {
        ++m_pos; // '['
        if (peek() == QLatin1Char('['))
            fail(m_pos, QStringLiteral("arrays of tables ([[...]]) are not supported"));
        skipSpace();
        const QString name = parseName(QStringLiteral("section"));
        skipSpace();
        if (peek() == QLatin1Char('.'))
            fail(m_pos, QStringLiteral("nested sections are not supported"));
        if (peek() != QLatin1Char(']'))
            fail(m_pos, QStringLiteral("expected ']' to close the section header"));
        ++m_pos;
        expectLineEnd(QStringLiteral("the section header"));
        return name;
    }

    QVariant parseValue()
    {
        const QChar c = peek();
        if (atEnd() || c == QLatin1Char('#'))
            fail(m_pos, QStringLiteral("missing value after '='"));
        if (c == QLatin1Char('"') || c == QLatin1Char('\''))
            return parseString();
        if (c == QLatin1Char('['))
            return parseArray();
        if (c == QLatin1Char('{'))
            fail(m_pos, QStringLiteral("inline tables are not supported"));
        return parseScalar();
    }

private:
    QString parseString()
    {
        const qsizetype start = m_pos;
        const QChar quote = peek();
        if (peek(1) == quote && peek(2) == quote)
            fail(m_pos, QStringLiteral("multi-line strings are not supported"));
        ++m_pos;
        QString result;
        while (true) {
            if (atEnd())
                fail(start, QStringLiteral("unterminated string"));
            const QChar c = m_text.at(m_pos);
            if (c == quote) {
                ++m_pos;
                return result;
            }
            if (c == QLatin1Char('\\') && quote == QLatin1Char('"')) {
                parseEscape(result);
                continue;
            }
            result.append(c);
            ++m_pos;
        }
    }

    void parseEscape(QString &out)
    {
        const qsizetype start = m_pos;
        ++m_pos; // '\'
        if (atEnd())
            fail(start, QStringLiteral("unterminated string"));
        const char16_t c = m_text.at(m_pos).unicode();
        ++m_pos;
        switch (c) {
        case u'"':
            out.append(QLatin1Char('"'));
            return;
        case u'\\':
            out.append(QLatin1Char('\\'));
            return;
        case u'n':
            out.append(QLatin1Char('\n'));
            return;
        case u't':
            out.append(QLatin1Char('\t'));
            return;
        case u'r':
            out.append(QLatin1Char('\r'));
            return;
        case u'b':
            out.append(QLatin1Char('\b'));
            return;
        case u'f':
            out.append(QLatin1Char('\f'));
            return;
        case u'u':
        case u'U': {
            const int digits = c == u'u' ? 4 : 8;
            if (m_pos + digits > m_text.size())
                fail(start, QStringLiteral("\\%1 needs %2 hex digits").arg(QChar(c)).arg(digits));
            bool ok = false;
            const QString hex = m_text.mid(m_pos, digits);
            const uint code = hex.toUInt(&ok, 16);
            static const QRegularExpression hexOnly(QStringLiteral("^[0-9A-Fa-f]+$"));
            if (!ok || !hexOnly.match(hex).hasMatch())
                fail(start, QStringLiteral("\\%1 needs %2 hex digits").arg(QChar(c)).arg(digits));
            if (code > 0x10FFFF || (code >= 0xD800 && code <= 0xDFFF))
                fail(start,
                     QStringLiteral("\\%1%2 is not a Unicode scalar value").arg(QChar(c), hex));
            const char32_t codePoint = code;
            out.append(QString::fromUcs4(&codePoint, 1));
            m_pos += digits;
            return;
        }
        default:
            fail(start, QStringLiteral("unknown escape sequence \\%1").arg(QChar(c)));
        }
    }

    QStringList parseArray()
    {
        const qsizetype start = m_pos;
        ++m_pos; // '['
        QStringList items;
        skipSpace();
        while (true) {
            if (atEnd() || peek() == QLatin1Char('#'))
                fail(start, QStringLiteral("missing ']': arrays must end on the line they start"));
            if (peek() == QLatin1Char(']')) {
                ++m_pos;
                return items;
            }
            if (peek() != QLatin1Char('"') && peek() != QLatin1Char('\''))
                fail(m_pos, QStringLiteral("arrays may only contain strings"));
            items.append(parseString());
            skipSpace();
            if (peek() == QLatin1Char(',')) {
                ++m_pos;
                skipSpace();
            } else if (peek() != QLatin1Char(']') && peek() != QLatin1Char('#') && !atEnd()) {
                fail(m_pos, QStringLiteral("expected ',' or ']' in the array"));
            }
        }
    }

    QVariant parseScalar()
    {
        const qsizetype start = m_pos;
        while (!atEnd() && !isSpace(peek()) && peek() != QLatin1Char('#')
               && peek() != QLatin1Char(',') && peek() != QLatin1Char(']'))
            ++m_pos;
        const QString token = m_text.mid(start, m_pos - start);
        if (token == QLatin1String("true"))
            return true;
        if (token == QLatin1String("false"))
            return false;
        static const QRegularExpression integer(QStringLiteral("^[+-]?(0|[1-9](_?[0-9])*)$"));
        if (integer.match(token).hasMatch()) {
            QString digits = token;
            digits.remove(QLatin1Char('_'));
            bool ok = false;
            const qint64 value = digits.toLongLong(&ok);
            if (!ok)
                fail(start, QStringLiteral("integer %1 is out of range").arg(token));
            return value;
        }
        static const QRegularExpression number(
            QStringLiteral("^[+-]?([0-9_]+(\\.[0-9_]*)?([eE][+-]?[0-9_]+)?|inf|nan)$"));
        if (number.match(token).hasMatch()) {
            if (token.contains(QLatin1Char('.')) || token.contains(QLatin1Char('e'))
                || token.contains(QLatin1Char('E')) || token.endsWith(QLatin1String("inf"))
                || token.endsWith(QLatin1String("nan")))
                fail(start, QStringLiteral("floating-point numbers are not supported"));
            fail(start,
                 QStringLiteral("invalid integer %1 (no leading zeros; '_' only between "
                                "digits)")
                     .arg(token));
        }
        if (token.startsWith(QLatin1String("0x")) || token.startsWith(QLatin1String("0o"))
            || token.startsWith(QLatin1String("0b")))
            fail(start, QStringLiteral("only decimal integers are supported"));
        fail(start,
             QStringLiteral("invalid value %1 (strings must be in double quotes)").arg(token));
    }

    const QString &m_text;
    int m_line;
    qsizetype m_pos = 0;
};

} // namespace

ConfigFile ConfigFile::parse(const QByteArray &text)
{
    ConfigFile result;
    QString section;
    QMap<QString, int> sectionLines;
    QStringDecoder decoder(QStringDecoder::Utf8, QStringDecoder::Flag::ConvertInitialBom);

    qsizetype start = 0;
    // A UTF-8 byte order mark is allowed at the very start, as some Windows editors write one.
    if (text.startsWith("\xEF\xBB\xBF"))
        start = 3;
    for (int lineNumber = 1; start <= text.size(); ++lineNumber) {
        qsizetype end = text.indexOf('\n', start);
        if (end < 0)
            end = text.size();
        QByteArrayView bytes(text.constData() + start, end - start);
        start = end + 1;
        if (bytes.endsWith('\r'))
            bytes.chop(1);

        decoder.resetState();
        const QString line = decoder(bytes);
        if (decoder.hasError())
            throw ConfigSyntaxError(QString(), lineNumber, 1,
                                    QStringLiteral("the line is not valid UTF-8"));
        for (qsizetype i = 0; i < line.size(); ++i) {
            const char16_t c = line.at(i).unicode();
            if ((c < 0x20 && c != u'\t') || c == 0x7F)
                throw ConfigSyntaxError(
                    QString(), lineNumber, int(i) + 1,
                    QStringLiteral("control character U+%1 is not allowed")
                        .arg(QString::number(c, 16).toUpper().rightJustified(4, QLatin1Char('0'))));
        }

        LineParser parser(line, lineNumber);
        parser.skipSpace();
        if (parser.atEnd() || parser.peek() == QLatin1Char('#'))
            continue;
        if (parser.peek() == QLatin1Char('[')) {
            const qsizetype column = parser.pos();
            section = parser.parseSection();
            const auto previous = sectionLines.constFind(section);
            if (previous != sectionLines.cend())
                parser.fail(column,
                            QStringLiteral("section [%1] appears twice (first on line %2)")
                                .arg(section)
                                .arg(*previous));
            sectionLines.insert(section, lineNumber);
            continue;
        }

        const qsizetype keyColumn = parser.pos();
        const QString key = parser.parseName(QStringLiteral("key"));
        parser.skipSpace();
        if (parser.peek() == QLatin1Char('.'))
            parser.fail(parser.pos(),
                        QStringLiteral("dotted keys are not supported; use a [section]"));
        if (parser.peek() != QLatin1Char('='))
            parser.fail(parser.pos(), QStringLiteral("expected '=' after the key"));
        if (section.isEmpty())
            parser.fail(keyColumn, QStringLiteral("key %1 is outside any [section]").arg(key));
        const QString fullKey = section + QLatin1Char('.') + key;
        const auto previous = result.m_entries.constFind(fullKey);
        if (previous != result.m_entries.cend())
            parser.fail(keyColumn,
                        QStringLiteral("duplicate key %1 (first set on line %2)")
                            .arg(fullKey)
                            .arg(previous->line));
        parser.advance(); // '='
        parser.skipSpace();
        Entry entry;
        entry.line = lineNumber;
        entry.column = int(parser.pos()) + 1;
        entry.value = parser.parseValue();
        parser.expectLineEnd(QStringLiteral("the value"));
        result.m_entries.insert(fullKey, entry);
    }
    return result;
}

ConfigFile ConfigFile::load(const QString &path)
{
    const QFileInfo info(path);
    if (!info.exists())
        throw ConfigError(path + QStringLiteral(": no such file"));
    if (info.isDir())
        throw ConfigError(path + QStringLiteral(": is a directory, not a configuration file"));
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        throw ConfigError(path + QStringLiteral(": cannot read: ") + file.errorString());
    const QByteArray text = file.read(maxFileBytes + 1);
    if (text.size() > maxFileBytes)
        throw ConfigError(
            path
            + QStringLiteral(": larger than %1 bytes; is this the configuration file?")
                  .arg(maxFileBytes));
    try {
        return parse(text);
    } catch (const ConfigSyntaxError &error) {
        throw ConfigSyntaxError(path, error.line(), error.column(), error.reason());
    }
}

} // namespace mcpgate::config
