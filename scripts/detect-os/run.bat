@echo off
rem Reports the host OS in CM's key names on Windows.
echo CM_HOST_OS_TYPE=windows> tmp-run-env.out
echo CM_HOST_OS_MACHINE=%PROCESSOR_ARCHITECTURE%>> tmp-run-env.out
for /f "tokens=4-5 delims=. " %%i in ('ver') do echo CM_HOST_OS_VERSION=%%i.%%j>> tmp-run-env.out
where winget >nul 2>nul && echo CM_HOST_OS_PACKAGE_MANAGER=winget>> tmp-run-env.out
