import { Text, View } from '@tarojs/components';
import { useState } from 'react';
import { HOUSEHOLD_CSV_COLUMNS, type ImportMode, type ImportReport } from '@union/shared';
import { importHouseholds } from '../../api/aid';
import { ApiError, errorMessage } from '../../api/client';
import { Banner, Button, Empty, Field, Page } from '../../components';
import { pickCsvFile } from '../../platform/files';
import { hasRole, useSession } from '../../session';
import { Chips, go } from './ui';

const MODE_LABELS: Record<ImportMode, string> = { partial: '导入有效行，报告错误行', all_or_nothing: '有错误则全部不导入' };
const FIELD_LABELS: Record<string, string> = Object.fromEntries(HOUSEHOLD_CSV_COLUMNS.map((c) => [c.field, c.label]));

/** 档案导入: pick a CSV, import it (partial or all-or-nothing), read the per-row report. */
export default function ImportPage() {
  const { user } = useSession();
  const isStaff = hasRole(user, 'union_staff') || hasRole(user, 'admin');
  const [mode, setMode] = useState<ImportMode>('partial');
  const [busy, setBusy] = useState(false);
  const [fileName, setFileName] = useState<string | null>(null);
  const [report, setReport] = useState<ImportReport | null>(null);
  const [error, setError] = useState<string | null>(null);

  if (!isStaff) return <Page title='档案导入'><Empty text='仅工会工作人员可导入档案' /></Page>;

  const pick = async () => {
    setError(null);
    let picked;
    try {
      picked = await pickCsvFile();
    } catch (e) {
      setError(errorMessage(e));
      return;
    }
    if (!picked) return;
    setFileName(picked.name);
    setBusy(true);
    setReport(null);
    try {
      setReport(await importHouseholds(picked.text, mode));
    } catch (e) {
      if (e instanceof ApiError && e.code === 'IMPORT_REJECTED') setReport(e.details as ImportReport);
      setError(errorMessage(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Page title='档案导入'>
      <View className='card'>
        <Text className='card-title'>表格格式</Text>
        <View>用表格软件另存为 CSV 文件。第一行是表头，写下面这些列名（带 * 的必填）：</View>
        <View className='aid-columns'>
          {HOUSEHOLD_CSV_COLUMNS.map((c) => `${c.label}${c.required ? '*' : ''}`).join('，')}
        </View>
        <View className='aid-note'>困难类别、致困原因等填中文（如“深度困难”“因病|失业”）；收入填“家庭月收入(元)”。每行按建档规则逐项检查。</View>
      </View>
      <View className='card'>
        <Field id='import-mode' label='导入方式' required>
          <Chips idPrefix='import-mode' options={['partial', 'all_or_nothing'] as const} labels={MODE_LABELS} value={mode} onChange={setMode} />
        </Field>
        <Button id='import-pick' loading={busy} onClick={() => void pick()}>
          选择表格文件并导入
        </Button>
        {fileName && <View className='aid-note'>文件：{fileName}</View>}
      </View>
      <Banner id='import-error' message={error} />
      {report && (
        <View className='card' id='import-report'>
          <Text className='card-title'>导入结果</Text>
          <View id='import-summary'>
            共 {report.totalRows} 行，成功导入 <Text id='import-imported'>{report.imported}</Text> 行，错误 {new Set(report.errors.map((e) => e.row)).size} 行
          </View>
          {report.errors.length > 0 && (
            <View className='aid-error-list' id='import-errors'>
              {report.errors.map((e, i) => (
                <View className='aid-error-row' key={i} data-testid={`import-error-${e.row}-${e.field}`}>
                  第{e.row}行 · {FIELD_LABELS[e.field] ?? e.field}：{e.reason}
                </View>
              ))}
            </View>
          )}
          {report.imported > 0 && (
            <Button kind='plain' id='import-go-list' onClick={() => go('/pages/aid/households')}>
              去审核新导入的档案
            </Button>
          )}
        </View>
      )}
    </Page>
  );
}
