import { Input, Text, Textarea, View } from '@tarojs/components';
import Taro from '@tarojs/taro';
import { useCallback, useRef, useState } from 'react';
import type { StationAdminView, StationImportRowError } from '@union/shared';
import { ApiError, errorMessage } from '../../api/client';
import { exportStationsCsv, importStations, listStations } from '../../api/stations';
import { Banner, Button, Empty, Page, PagedList } from '../../components';
import { saveTextFile } from '../../platform/download';
import { useLoadOnShow } from '../../hooks';
import { hasRole, useSession } from '../../session';
import { AmenityBadges, OpenTag } from './StationParts';
import './stations.css';

const PAGE_SIZE = 10;
const SAMPLE = 'name,orgCode,address,lat,lng,amenities,hours,closedDates,status,phone\n磁湖驿站,HB-HS-HSG-WM,黄石市磁湖路1号,30.2001,115.0501,rest water charging,"mon-fri 08:00-20:00; sat,sun 09:00-18:00",,open,0714-1234567';

/** 驿站管理 (staff): stations of the subtree, search, create/edit, CSV import with a per-row report, CSV export. */
export default function ManageStationsPage() {
  const { user } = useSession();
  const isStaff = hasRole(user, 'union_staff') || hasRole(user, 'admin');
  const [keyword, setKeyword] = useState('');
  const [items, setItems] = useState<StationAdminView[] | null>(null);
  const [total, setTotal] = useState(0);
  const [page, setPage] = useState(1);
  const [error, setError] = useState<string | null>(null);
  const [loadingMore, setLoadingMore] = useState(false);
  const [banner, setBanner] = useState<{ kind: 'error' | 'success' | 'info'; text: string } | null>(null);
  const [importing, setImporting] = useState(false);
  const [csv, setCsv] = useState('');
  const [rowErrors, setRowErrors] = useState<StationImportRowError[]>([]);
  const [busy, setBusy] = useState(false);
  const seq = useRef(0);

  const loadFirst = useCallback(async (q: string) => {
    const s = ++seq.current;
    setItems(null);
    setError(null);
    try {
      const res = await listStations({ q: q.trim() || undefined, page: 1, pageSize: PAGE_SIZE });
      if (s !== seq.current) return;
      setItems(res.items);
      setTotal(res.total);
      setPage(1);
    } catch (e) {
      if (s === seq.current) setError(errorMessage(e));
    }
  }, []);
  useLoadOnShow(() => void loadFirst(keyword), isStaff);

  const loadMore = async () => {
    setLoadingMore(true);
    try {
      const res = await listStations({ q: keyword.trim() || undefined, page: page + 1, pageSize: PAGE_SIZE });
      setItems((prev) => [...(prev ?? []), ...res.items.filter((x) => !(prev ?? []).some((p) => p.id === x.id))]);
      setTotal(res.total);
      setPage(res.page);
    } finally {
      setLoadingMore(false);
    }
  };

  const runImport = async () => {
    if (!csv.trim()) {
      setBanner({ kind: 'error', text: '请粘贴CSV内容' });
      return;
    }
    const { confirm } = await Taro.showModal({ title: '导入驿站', content: '确认导入？全部行校验通过才会写入；带 id 列的行会更新已有驿站。', confirmText: '导入' });
    if (!confirm) return;
    setBusy(true);
    setBanner(null);
    setRowErrors([]);
    try {
      const res = await importStations(csv);
      setBanner({ kind: 'success', text: `导入成功：新增 ${res.created} 个，更新 ${res.updated} 个` });
      setCsv('');
      setImporting(false);
      await loadFirst(keyword);
    } catch (e) {
      if (e instanceof ApiError && Array.isArray(e.details)) setRowErrors(e.details as StationImportRowError[]);
      setBanner({ kind: 'error', text: errorMessage(e) });
    } finally {
      setBusy(false);
    }
  };

  const runExport = async () => {
    setBusy(true);
    setBanner(null);
    try {
      const text = await exportStationsCsv();
      setBanner({ kind: 'success', text: await saveTextFile('stations.csv', text) });
    } catch (e) {
      setBanner({ kind: 'error', text: errorMessage(e) });
    } finally {
      setBusy(false);
    }
  };

  if (!isStaff) return <Page title='驿站管理'><Empty text='仅工会工作人员可管理驿站' /></Page>;

  return (
    <Page title='驿站管理'>
      {banner && <Banner id='manage-banner' kind={banner.kind} message={banner.text} />}
      <View className='btn-row'>
        <Button kind='primary' size='small' id='manage-new' onClick={() => void Taro.navigateTo({ url: '/pages/stations/edit' })}>新建驿站</Button>
        <Button kind='plain' size='small' id='manage-import' onClick={() => { setImporting(!importing); setRowErrors([]); }}>导入CSV</Button>
        <Button kind='plain' size='small' id='manage-export' disabled={busy} onClick={() => void runExport()}>导出CSV</Button>
        <Button kind='plain' size='small' id='manage-stats' onClick={() => void Taro.navigateTo({ url: '/pages/stations/stats' })}>驿站数据</Button>
      </View>

      {importing && (
        <View className='card' id='manage-import-card' style={{ marginTop: '16px' }}>
          <Text className='card-title'>导入CSV</Text>
          <View className='muted'>最省事的做法：先点“导出CSV”，在表格软件里改好后再粘贴回来（位置、所属工会等列照导出的写法不要改动格式）。第一行为列名；带 id 列的行会更新该驿站，没有 id 的行新建驿站。需要看格式时点“填入示例”。</View>
          <Textarea className='textarea' id='manage-csv' value={csv} maxlength={-1} placeholder='把CSV文件的内容粘贴到这里' onInput={(e) => setCsv(e.detail.value)} style={{ height: '240px' }} />
          <View className='btn-row'>
            <Button kind='primary' size='small' id='manage-import-submit' loading={busy} disabled={busy} onClick={() => void runImport()}>校验并导入</Button>
            <Button kind='plain' size='small' onClick={() => setCsv(SAMPLE)}>填入示例</Button>
          </View>
          {rowErrors.length > 0 && (
            <View className='st-error-list' id='manage-import-errors'>
              {rowErrors.slice(0, 100).map((er, i) => (
                <View key={i}>第{er.row}行 {er.field}：{er.message}</View>
              ))}
              {rowErrors.length > 100 && <View>……共 {rowErrors.length} 处错误</View>}
            </View>
          )}
        </View>
      )}

      <View className='st-toolbar' style={{ marginTop: '16px' }}>
        <Input className='input' id='manage-search' value={keyword} placeholder='按名称或地址搜索' confirmType='search' onInput={(e) => setKeyword(e.detail.value)} onConfirm={() => void loadFirst(keyword)} />
      </View>
      {items && items.length > 0 && <View className='muted' style={{ marginBottom: '12px' }}>共 {total} 个驿站</View>}
      <PagedList
        list={{ items, total, error, loadingMore, loadMore }}
        onRetry={() => void loadFirst(keyword)}
        emptyText={keyword.trim() ? '没有找到名称或地址含这些字的驿站，换个词试试' : '还没有驿站，点上面的“新建驿站”或“导入CSV”'}
        moreId='manage-more'
        renderItem={(s) => (
          <View key={s.id} className='st-item' data-testid={`manage-station-${s.id}`} onClick={() => void Taro.navigateTo({ url: `/pages/stations/edit?id=${s.id}` })}>
            <View className='st-item-head'>
              <Text className='st-name'>{s.name}</Text>
              {s.openReports > 0 && <Text className='badge'>待处理 {s.openReports}</Text>}
            </View>
            <View className='st-meta'><OpenTag station={s} /> {s.org.name}</View>
            <View className='st-meta'>{s.address} · 站长：{s.keeper?.displayName ?? '未指定'}</View>
            <AmenityBadges amenities={s.amenities} />
          </View>
        )}
      />
    </Page>
  );
}
