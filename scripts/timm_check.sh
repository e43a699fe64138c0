#!/usr/bin/env bash
# timm's own model tests on our four variants (issue: "Speak timm"). Not part of CI: it needs timm, and timm needs
# torchvision, whose registry build does not import beside this machine's CPU torch. So, in a separate venv
# (.venv-timm): torch==2.13.0 first, torchvision 0.29.1 and timm 1.0.31 without their dependencies, and a
# sitecustomize.py in that venv only that stubs `torchvision._meta_registrations` (never in the package). Then:
#   1. the notebook 36_timm_models with its `timm` cells run (timm.create_model, data config, optimizer, features);
#   2. timm 1.0.31's tests/test_models.py, unchanged except for 'timm_models' added to FEAT_INTER_FILTERS, on the four
#      variants registered by `import strip_mlp_nb.models.timm_models` (-k strip_mlp). Files in outputs/timm_check/.
# Usage: bash scripts/timm_check.sh [extra pytest arguments]   (about 10 minutes on 2 cores, most of it the tests)
set -euo pipefail
cd "$(dirname "$0")/.."
venv=.venv-timm out=outputs/timm_check TIMM=1.0.31
pip() { "$venv/bin/python" -m pip -q --disable-pip-version-check --no-input "$@" 2>&1 | { grep -v "^WARNING: Location 'file:" || true; }; }
if [[ ! -x $venv/bin/python ]]; then
    echo "timm_check: creating $venv ..."
    python3 -m venv "$venv"
    pip install torch==2.13.0
    pip install -e ".[dev]"
    pip install --no-deps "timm==$TIMM" torchvision==0.29.1
    pip install huggingface_hub safetensors
    site=$("$venv/bin/python" -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])')
    cat > "$site/sitecustomize.py" <<'PY'
"Test venv only: torchvision's registry build imports beside the CPU torch once its meta registrations (C ops) are skipped."
import sys, types
sys.modules.setdefault('torchvision._meta_registrations', types.ModuleType('torchvision._meta_registrations'))
PY
fi
mkdir -p "$out"
if [[ ! -f $out/test_models.py ]]; then      # timm's test file comes with its source distribution
    "$venv/bin/python" -m pip download -q --no-deps --no-binary :all: "timm==$TIMM" -d "$out/sdist"
    tar -xzf "$out/sdist/timm-$TIMM.tar.gz" -C "$out/sdist" "timm-$TIMM/tests/test_models.py"
    sed "s/'xception', 'xception_aligned',$/'xception', 'xception_aligned', 'timm_models',/" \
        "$out/sdist/timm-$TIMM/tests/test_models.py" > "$out/test_models.py"
    diff "$out/sdist/timm-$TIMM/tests/test_models.py" "$out/test_models.py" > "$out/test_models.diff" || true
    [[ $(grep -c '^>' "$out/test_models.diff") == 1 ]] || { echo "timm_check: could not list timm_models in FEAT_INTER_FILTERS" >&2; exit 1; }
fi
echo 'import strip_mlp_nb.models.timm_models  # noqa: F401  registers the four variants in timm'"'"'s registry' > "$out/conftest.py"
echo "timm_check: notebook 36_timm_models with its timm cells ..."
rc=0
RUN_FLAGS=timm "$venv/bin/python" -m pytest tests/test_notebooks.py -k 36_timm -p no:cacheprovider -q --disable-warnings \
    > "$out/notebook.log" 2>&1 || rc=1
tail -1 "$out/notebook.log"
echo "timm_check: timm $TIMM tests/test_models.py on the four variants ..."
(cd "$out" && OMP_NUM_THREADS=$(nproc) "../../$venv/bin/python" -m pytest test_models.py -k strip_mlp -p no:cacheprovider \
    -q --disable-warnings "$@" > timm_tests.log 2>&1) || rc=1
tail -1 "$out/timm_tests.log"
exit $rc
