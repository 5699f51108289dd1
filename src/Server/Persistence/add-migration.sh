#!/usr/bin/env bash
# Adds a migration for ALL THREE providers (each has its own migrations). Usage: add-migration.sh <Name>
# Needs the dotnet-ef tool (dotnet tool install --global dotnet-ef --version 10.0.14).
set -euo pipefail
name="${1:?usage: add-migration.sh <MigrationName>}"
cd "$(dirname "$0")/.."
export PATH="$PATH:$HOME/.dotnet/tools"
dotnet ef migrations add "$name" --context SqliteMhaRightsDbContext --output-dir Persistence/Migrations/Sqlite
dotnet ef migrations add "$name" --context SqlServerMhaRightsDbContext --output-dir Persistence/Migrations/SqlServer --no-build
dotnet ef migrations add "$name" --context PostgreSqlMhaRightsDbContext --output-dir Persistence/Migrations/PostgreSql --no-build
