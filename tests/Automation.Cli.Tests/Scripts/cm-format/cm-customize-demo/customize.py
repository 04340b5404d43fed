from cmind import utils
import os

def preprocess(i):
    env = i['env']
    env['CM_CUSTOMIZE_DEMO_VALUE'] = 'from-python'
    return {'return': 0}
