"""The top-level `utils` module hooks import (`from utils import is_true, is_false, *`): MLC's automation utils,
which re-export the mlc.utils helpers and add host info, downloads, unzip and CM's version comparison."""

import os
import shutil
import ssl
import subprocess
import urllib.error
import urllib.parse
import urllib.request
import zipfile

from cm_host_utils import *  # noqa: F401,F403 (MLC's automation utils re-export mlc.utils the same way)
from cm_host_utils import is_true, logger
from cm_os_info import host_os_info
from cm_versions import compare_versions  # noqa: F401 (CM's dict form: {'version1', 'version2'} -> 'comparison')


def get_host_os_info(i={}):
    """{'return': 0, 'info': os_info} for this host (i['bits'] forces the OS bits)."""
    info = host_os_info('MLC_')
    if i.get('bits', '') != '':
        info['bits'] = i['bits']
    return {'return': 0, 'info': info}


def _ssl_context(verify):
    if verify:
        return None
    context = ssl.create_default_context()
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE
    return context


def _open_url(url, verify):
    """Open the URL; like MLC, retry once without certificate checks when verification fails."""
    try:
        return urllib.request.urlopen(url, context=_ssl_context(verify))
    except urllib.error.URLError as e:
        if not verify or not isinstance(e.reason, ssl.SSLError):
            raise
        logger.warning('SSL verification failed: {}; retrying without SSL verification...'.format(e.reason))
        return urllib.request.urlopen(url, context=_ssl_context(False))


def _download_name(response, url):
    """The server's Content-Disposition name, else the last part of the final (redirected) URL."""
    name = response.headers.get_filename()
    if name:
        return os.path.basename(name.strip().strip('"'))
    final_url = response.geturl() or url
    return os.path.basename(urllib.parse.unquote(urllib.parse.urlparse(final_url).path))


def download_file(i):
    """Download i['url'] into i['path'] (current folder by default) as i['filename'] (else the server's name):
    'filename', 'path' (the file) and 'size'. MLC_VERIFY_SSL=no (or verify_ssl=False) skips certificate checks."""
    url = i['url']
    folder = i.get('path') or os.getcwd()
    verify = is_true(os.environ['MLC_VERIFY_SSL']) if 'MLC_VERIFY_SSL' in os.environ else \
        is_true(i.get('verify_ssl', True))
    try:
        with _open_url(url, verify) as response:
            file_name = i.get('filename', '') or _download_name(response, url)
            path_to_file = os.path.join(folder, file_name)
            if os.path.isfile(path_to_file):
                os.remove(path_to_file)
            logger.info('Downloading to {}'.format(path_to_file))
            with open(path_to_file, 'wb') as output:
                shutil.copyfileobj(response, output, i.get('chunk_size', 65536))
    except Exception as e:
        return {'return': 1, 'error': format(e)}
    return {'return': 0, 'filename': file_name, 'path': path_to_file, 'size': os.path.getsize(path_to_file)}


def unzip_file(i):
    """Unpack the zip i['filename'] into i['path'] (current folder by default), dropping i['strip_folders']
    leading folders and keeping Unix permissions; members with absolute or parent paths are skipped."""
    file_name = i['filename']
    if not os.path.isfile(file_name):
        return {'return': 1, 'error': 'file {} not found'.format(file_name)}
    folder = i.get('path') or os.getcwd()
    strip_folders = i.get('strip_folders', 0)
    with zipfile.ZipFile(file_name) as archive:
        for info in archive.infolist():
            name = info.filename
            if name.startswith(('..', '/', '\\')):
                continue
            relative = '/'.join(name.split('/')[strip_folders:]) if strip_folders > 0 else name
            target = os.path.join(folder, relative)
            if relative.endswith('/'):
                os.makedirs(target, exist_ok=True)
                continue
            os.makedirs(os.path.dirname(target) or '.', exist_ok=True)
            with open(target, 'wb') as out:
                out.write(archive.read(name))
            if info.external_attr > 0xffff:
                os.chmod(target, info.external_attr >> 16)
    return {'return': 0}


def system(i):
    """Run i['cmd'] through the shell (in i['path'] when given), capturing its output: 'ret', 'stdout', 'stderr',
    'std'; i['stdout']/i['stderr'] name files to keep the output in as well."""
    if i.get('cmd', '') == '':
        return {'return': 1, 'error': 'cmd is empty'}
    path = i.get('path', '')
    done = subprocess.run(i['cmd'], shell=True, capture_output=True, text=True,
                          cwd=path if path and os.path.isdir(path) else None)
    for key, text in (('stdout', done.stdout), ('stderr', done.stderr)):
        if i.get(key, ''):
            with open(i[key], 'w') as f:
                f.write(text)
    stdout = done.stdout.strip()
    stderr = done.stderr.strip()
    std = '\n'.join(s for s in (stdout, stderr) if s)
    return {'return': 0, 'ret': done.returncode, 'stdout': stdout, 'stderr': stderr, 'std': std}


def quote_if_needed(val, quote):
    """The value double-quoted (inner quotes escaped) when it has spaces or quotes, or when quote is '"'."""
    s = str(val)
    if ' ' in s or '"' in s or quote == '"':
        return '"{}"'.format(s.replace('"', '\\"'))
    return s
