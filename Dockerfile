# pixoffice: one image for the web process (gunicorn), the Celery worker and beat.
#   docker build -t pixoffice .
#   docker compose up        (see docker-compose.yml for the whole stack)
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

# WeasyPrint's native libraries (Pango, HarfBuzz subsetting) and a font for the PDFs;
# gettext for compilemessages.
RUN apt-get update \
    && apt-get install -y --no-install-recommends \
        libpango-1.0-0 \
        libpangoft2-1.0-0 \
        libharfbuzz-subset0 \
        fonts-dejavu-core \
        gettext \
    && rm -rf /var/lib/apt/lists/*

WORKDIR /app

# Dependencies first, so that a code change does not reinstall them.
COPY requirements/lock.txt requirements/lock.txt
RUN pip install -r requirements/lock.txt

COPY . .

# Build-time manage.py commands get a throwaway SECRET_KEY for that one command: without
# it, base settings would write a key file into the image.
# Translations, when the project ships .po files (the .mo files are built here).
RUN if find . -name '*.po' | grep -q .; then \
        SECRET_KEY=build-only-throwaway-key python manage.py compilemessages; \
    fi

# The code stays owned by root (read-only for the app); only var/ is writable: static
# files, the development secret key, private uploads (var/private, a volume in compose).
RUN useradd --system --user-group --uid 10001 --create-home --home-dir /home/app app \
    && mkdir -p var/private var/mail \
    && chown -R app:app var

USER app

# Static files into var/static, served by WhiteNoise.
RUN SECRET_KEY=build-only-throwaway-key \
    DJANGO_SETTINGS_MODULE=pixoffice.settings.base \
    python manage.py collectstatic --noinput

EXPOSE 8000

CMD ["gunicorn", "pixoffice.wsgi", "--bind", "0.0.0.0:8000", "--workers", "2", "--access-logfile", "-"]
