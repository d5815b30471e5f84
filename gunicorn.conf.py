"""gunicorn settings, read from the working directory (the image's /app, ``make web-prod``).

Request limits (see docs/configuration.md, « Request size »): gunicorn bounds the
request line and headers; the body is bounded by the reverse proxy
(``client_max_body_size``) and by pixoffice itself (``REQUEST_MAX_BYTES``, from the
``Content-Length``, before the body is read).
"""

limit_request_line = 4094  # bytes of "POST /path?query HTTP/1.1"
limit_request_fields = 100  # headers
limit_request_field_size = 8190  # bytes of one header
timeout = 30  # seconds a worker may spend on a request before it is replaced
