#include "jsonbody.h"

#include "http/apierror.h"
#include "http/httprequest.h"

#include <QJsonDocument>
#include <QJsonParseError>

namespace mcpgate::api {

bool hasRawControlCharacter(const QByteArray &json)
{
    bool inString = false;
    bool escaped = false;
    for (const char c : json) {
        if (!inString) {
            inString = c == '"';
            continue;
        }
        if (escaped)
            escaped = false;
        else if (c == '\\')
            escaped = true;
        else if (c == '"')
            inString = false;
        else if (static_cast<unsigned char>(c) < 0x20)
            return true;
    }
    return false;
}

QJsonObject readJsonObject(const http::HttpRequest &request, const QByteArrayList &acceptedTypes)
{
    const QByteArray contentType = request.headers.value("Content-Type");
    const qsizetype parameters = contentType.indexOf(';');
    const QByteArray mediaType
        = (parameters < 0 ? contentType : contentType.left(parameters)).trimmed().toLower();
    if (!acceptedTypes.contains(mediaType)) {
        throw http::ApiError::unsupportedMediaType(
            QStringLiteral("Send the body as %1.")
                .arg(QString::fromLatin1(acceptedTypes.join(" or "))));
    }
    QJsonParseError error {};
    const QJsonDocument document = QJsonDocument::fromJson(request.body, &error);
    if (error.error != QJsonParseError::NoError) {
        throw http::ApiError::badRequest(
            QStringLiteral("The body is not valid JSON: %1 at offset %2.")
                .arg(error.errorString())
                .arg(error.offset));
    }
    if (hasRawControlCharacter(request.body))
        throw http::ApiError::badRequest(
            QStringLiteral("The body is not valid JSON: a string holds a raw control character."));
    if (!document.isObject())
        throw http::ApiError::badRequest(QStringLiteral("The body must be a JSON object."));
    return document.object();
}

} // namespace mcpgate::api
