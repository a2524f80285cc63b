# One image for every govgraph process: the gateway (default), a department subgraph
# (`govgraph subgraph serve NAME`), the legacy stand-in, or the whole demo (`govgraph up`).
FROM python:3.11-slim AS build
WORKDIR /src
COPY pyproject.toml README.md ./
COPY gateway ./gateway
COPY subgraphs ./subgraphs
RUN pip install --no-cache-dir --prefix=/install .

FROM python:3.11-slim
RUN useradd --system --uid 10001 --home /srv/govgraph govgraph
COPY --from=build /install /usr/local
WORKDIR /srv/govgraph
COPY schema.graphql ./schema.graphql
COPY policies ./policies
COPY config ./config
ENV GOVGRAPH_HOST=0.0.0.0 \
    GOVGRAPH_DATA_DIR=/srv/govgraph/data \
    GOVGRAPH_POLICIES_DIR=/srv/govgraph/policies \
    PYTHONUNBUFFERED=1
RUN mkdir -p data && chown govgraph data
USER govgraph
EXPOSE 4000
HEALTHCHECK --interval=10s --timeout=2s CMD python -c "import urllib.request,sys; sys.exit(urllib.request.urlopen('http://127.0.0.1:4000/health').status != 200)"
CMD ["govgraph", "serve", "--host", "0.0.0.0", "--port", "4000", "--supergraph", "schema.graphql"]
