#!/bin/bash
# Clones CM_GIT_URL into the cache entry (cwd) and checks out a branch, tag or commit.
set -euo pipefail
url="${CM_GIT_URL:-}"
if [ -z "$url" ]; then
  echo "get-git-repo: no repository given; pass --url=URL (or the _repo.URL variation)." >&2
  exit 2
fi
git="${CM_GIT_BIN_WITH_PATH:-git}"
folder="${CM_GIT_CHECKOUT_FOLDER:-repo}"
export GIT_TERMINAL_PROMPT=0
rm -rf "$folder"
args=(clone --quiet)
[ -n "${CM_GIT_BRANCH:-}" ] && args+=(--branch "$CM_GIT_BRANCH")
[ -n "${CM_GIT_CHECKOUT_TAG:-}" ] && args+=(--branch "$CM_GIT_CHECKOUT_TAG")
# A shallow clone cannot reach an arbitrary commit, so --checkout always clones the full history.
if [ -n "${CM_GIT_DEPTH:-}" ] && [ -z "${CM_GIT_CHECKOUT:-}" ]; then
  args+=(--depth "$CM_GIT_DEPTH")
  case "$url" in /*|file://*) args+=(--no-local) ;; esac
fi
[ "${CM_GIT_RECURSE_SUBMODULES:-}" = yes ] && args+=(--recurse-submodules)
echo "Cloning $url ${CM_GIT_BRANCH:-${CM_GIT_CHECKOUT_TAG:-}} into $PWD/$folder"
"$git" "${args[@]}" "$url" "$folder"
cd "$folder"
if [ -n "${CM_GIT_CHECKOUT:-}" ]; then
  if ! "$git" -c advice.detachedHead=false checkout --quiet "$CM_GIT_CHECKOUT"; then
    echo "get-git-repo: commit '$CM_GIT_CHECKOUT' is not in $url; check the hash (or the branch it is on)." >&2
    exit 3
  fi
fi
{
  echo "CM_GIT_REPO_CHECKOUT_PATH=$PWD"
  echo "CM_GIT_CHECKOUT_PATH=$PWD"
  echo "CM_GIT_REPO_CURRENT_HASH=$("$git" rev-parse HEAD)"
  echo "CM_GIT_REPO_URL=$url"
  if [ -n "${CM_GIT_CHECKOUT_PATH_ENV_NAME:-}" ]; then echo "$CM_GIT_CHECKOUT_PATH_ENV_NAME=$PWD"; fi
} > ../tmp-run-env.out
