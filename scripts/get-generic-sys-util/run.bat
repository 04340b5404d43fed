@echo off
rem Installs one package with winget on Windows.
if "%CM_SYS_UTIL_WINGET_PACKAGE%"=="" (
  echo get-generic-sys-util: '%CM_SYS_UTIL_NAME%' has no winget package name; install it by hand. 1>&2
  exit /b 2
)
winget install --silent --accept-package-agreements --accept-source-agreements -e --id %CM_SYS_UTIL_WINGET_PACKAGE% || exit /b 1
echo CM_SYS_UTIL_INSTALLED_PACKAGE=%CM_SYS_UTIL_WINGET_PACKAGE%> tmp-run-env.out
