// A typed request failure. Handlers throw (or pass) an ApiError; one place turns it into an
// RFC 9457 application/problem+json response, so every error has the same shape.
#pragma once

#include "httpheaders.h"

#include <QJsonArray>
#include <QString>

#include <exception>

namespace mcpgate::http {

struct HttpResponse;

class ApiError : public std::exception
{
public:
    // `type` is a short slug ("validation-failed"); it becomes https://mcpgate.dev/problems/<type>.
    ApiError(int status, QString type, QString title, QString detail = {});

    static ApiError badRequest(const QString &detail);
    // One entry per bad field: {"field": "transport.url", "message": "..."}.
    static ApiError validation(const QJsonArray &fieldErrors);
    static ApiError unauthorized(const QString &detail);
    static ApiError forbidden(const QString &detail);
    static ApiError notFound(const QString &detail);
    static ApiError methodNotAllowed(const QList<QByteArray> &allowed);
    static ApiError conflict(const QString &detail);
    static ApiError preconditionFailed(const QString &detail);
    static ApiError payloadTooLarge(qint64 limit);
    static ApiError unsupportedMediaType(const QString &detail);
    static ApiError serviceUnavailable(const QString &detail);
    static ApiError internal(const QString &detail = {});

    int status() const { return m_status; }
    const QString &type() const { return m_type; }
    const QString &title() const { return m_title; }
    const QString &detail() const { return m_detail; }
    const QJsonArray &fieldErrors() const { return m_fieldErrors; }
    HttpHeaders &headers() { return m_headers; }
    const HttpHeaders &headers() const { return m_headers; }

    // The problem+json response; `instance` is the request path, `requestId` echoed in the body.
    HttpResponse toResponse(const QString &instance, const QByteArray &requestId) const;

    const char *what() const noexcept override;

private:
    int m_status;
    QString m_type;
    QString m_title;
    QString m_detail;
    QJsonArray m_fieldErrors;
    HttpHeaders m_headers;
    QByteArray m_what;
};

} // namespace mcpgate::http
