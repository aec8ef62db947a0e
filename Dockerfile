# OrderFlow images. Build one with its target:
#   docker build --target server    -t orderflow-server .
#   docker build --target simulator -t orderflow-simulator .
# or let docker-compose.yml build both.

# ---- designer (the web console), only when src/OrderFlow.Designer exists -------------------
FROM node:22-bookworm-slim AS designer
WORKDIR /repo
COPY src/ src/
RUN if [ -f src/OrderFlow.Designer/package.json ]; then \
      cd src/OrderFlow.Designer \
      && if [ -f package-lock.json ]; then npm ci --no-audit --no-fund; else npm install --no-audit --no-fund; fi \
      && npm run build \
      && rm -rf node_modules; \
    fi

# ---- build: publish both apps ------------------------------------------------------------------
FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /repo
COPY global.json Directory.Build.props Directory.Packages.props ./
COPY workflows/ workflows/
# src/ as the designer stage left it (with the console built into the server's static files).
COPY --from=designer /repo/src/ src/
RUN dotnet publish src/OrderFlow.Server/OrderFlow.Server.csproj -c Release -o /out/server -p:UseAppHost=false \
 && dotnet publish src/OrderFlow.SupplierSimulator/OrderFlow.SupplierSimulator.csproj -c Release -o /out/simulator -p:UseAppHost=false

# ---- simulator: stand-in supplier, carrier and storefront ---------------------------------------
FROM mcr.microsoft.com/dotnet/aspnet:10.0 AS simulator
WORKDIR /app
COPY --from=build /out/simulator .
ENV ASPNETCORE_URLS=http://+:5090
EXPOSE 5090
USER $APP_UID
ENTRYPOINT ["dotnet", "OrderFlow.SupplierSimulator.dll"]

# ---- server: intake, engine, APIs, console, Hangfire (the default target) -----------------------
FROM mcr.microsoft.com/dotnet/aspnet:10.0 AS server
WORKDIR /app
COPY --from=build /out/server .
ENV ASPNETCORE_URLS=http://+:5080
EXPOSE 5080
USER $APP_UID
ENTRYPOINT ["dotnet", "OrderFlow.Server.dll"]
