# The second service (a stand-in for a signaling server) on its own host name.
FROM localhost/preview-kit-base:latest
ARG COMMIT=unknown
RUN mkdir -p /sigver && printf '{"service":"sigver","commit":"%s"}\n' "${COMMIT}" > /sigver/index.html
EXPOSE 8080
CMD ["busybox", "httpd", "-f", "-p", "8080", "-h", "/sigver"]
